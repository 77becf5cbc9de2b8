"""Which profiles a user may use, the options form, and ``user_options`` validation.

Pure functions over a :class:`~hubml_spawner.catalog.Catalog`; the spawners call them
and turn :class:`ProfileRefused` into an HTTP 4xx before anything starts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from .catalog import Catalog, Profile, Size, size_choices

FRAMEWORK_LABELS = {"sklearn": "scikit-learn", "tensorflow": "TensorFlow", "torch": "PyTorch",
                    "h2o": "H2O"}

__all__ = [
    "ProfileRefused",
    "Selection",
    "allowed_profiles",
    "options_from_form",
    "profile_environment",
    "render_options_form",
    "resolve_profile",
    "resolve_selection",
]


class ProfileRefused(ValueError):
    """A ``user_options`` the user may not have; ``status`` is the HTTP code to answer."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def allowed_profiles(catalog: Catalog, groups: Iterable[str], is_admin: bool) -> list[Profile]:
    """Profiles open to everyone, plus those of the user's groups; admins get all."""
    groups = set(groups)
    return [p for p in catalog.profiles if is_admin or not p.groups or groups & set(p.groups)]


def resolve_profile(catalog: Catalog, user_options: dict | None,
                    groups: Iterable[str], is_admin: bool) -> Profile:
    """The profile that ``user_options`` asks for, after checking the user may use it.

    No options (or no ``profile`` key) means the first allowed profile, the catalog's
    default when the user may use it.
    """
    options = user_options or {}
    if not isinstance(options, dict):
        raise ProfileRefused("user_options must be a JSON object like {\"profile\": \"sklearn\"}")
    unknown = sorted(set(options) - {"profile"})
    if unknown:
        raise ProfileRefused(f"unknown option {unknown[0]!r}; the only option is 'profile'")
    allowed = allowed_profiles(catalog, groups, is_admin)
    name = options.get("profile")
    if name is None or name == "":
        if not allowed:
            raise ProfileRefused("no profile is open to you; ask an admin to add you to a group",
                                 status=403)
        default = catalog.default
        return default if default in allowed else allowed[0]
    if not isinstance(name, str):
        raise ProfileRefused("'profile' must be a profile name (a string)")
    profile = catalog.get(name)
    if profile is None:
        choices = ", ".join(p.name for p in allowed) or "none"
        raise ProfileRefused(f"unknown profile {name!r}; choose one of: {choices}")
    if profile not in allowed:
        need = ", ".join(profile.groups)
        raise ProfileRefused(f"profile {name!r} is for members of the group(s) {need}; "
                             "ask an admin to add you, or choose another profile", status=403)
    return profile


@dataclass(frozen=True)
class Selection:
    """A checked choice: the profile, its size (if it offers sizes) and the GPU count."""

    profile: Profile
    size: Size | None = None
    gpus: int = 0

    @property
    def user_options(self) -> dict:
        """The choice as KubeSpawner's ``user_options`` (option values are strings)."""
        options = {"profile": self.profile.name}
        if self.size is not None:
            options["size"] = self.size.name
        if self.gpus:
            options["gpus"] = str(self.gpus)
        return options


def resolve_selection(catalog: Catalog, user_options: dict | None,
                      groups: Iterable[str], is_admin: bool) -> Selection:
    """Check ``{"profile", "size", "gpus"}`` (all optional); refusals name what to change."""
    options = user_options or {}
    if not isinstance(options, dict):
        raise ProfileRefused("user_options must be a JSON object like {\"profile\": \"sklearn\"}")
    unknown = sorted(set(options) - {"profile", "size", "gpus"})
    if unknown:
        raise ProfileRefused(f"unknown option {unknown[0]!r}; the options are 'profile', "
                             "'size' and 'gpus'")
    profile = resolve_profile(catalog, {"profile": options.get("profile")}, groups, is_admin)
    sizes = size_choices(profile)
    size = next((s for s in sizes if s.default), None)
    wanted = options.get("size")
    if wanted not in (None, ""):
        size = next((s for s in sizes if s.name == wanted), None)
        if size is None:
            choices = ", ".join(s.name for s in sizes)
            raise ProfileRefused(f"profile {profile.name!r} has no size {wanted!r}; " + (
                f"choose one of: {choices}" if choices else "it offers no size choice"))
    gpus = profile.gpu
    wanted = options.get("gpus")
    if wanted not in (None, ""):
        if not profile.gpu:
            raise ProfileRefused(f"profile {profile.name!r} has no GPUs; "
                                 "choose a GPU profile to ask for GPUs")
        number = str(wanted).strip() if not isinstance(wanted, bool) else ""
        if not (number.isascii() and number.isdigit()) or not 1 <= int(number) <= profile.gpu:
            raise ProfileRefused(f"'gpus' must be a whole number from 1 to {profile.gpu} "
                                 f"for profile {profile.name!r}")
        gpus = int(number)
    return Selection(profile, size, gpus)


def options_from_form(formdata: dict) -> dict:
    """The options form posts ``profile=<name>``; JupyterHub gives us lists of values."""
    values = formdata.get("profile") or [""]
    return {"profile": values[0]}


def profile_environment(profile: Profile) -> dict[str, str]:
    """Environment that tells the user's server which profile it runs."""
    return {
        "HUBML_PROFILE": profile.name,
        "HUBML_PROFILE_DISPLAY_NAME": profile.display_name,
        "HUBML_PROFILE_DESCRIPTION": profile.description,
        "HUBML_FRAMEWORKS": ",".join(profile.frameworks),
        "HUBML_KERNELS": ",".join(profile.kernels),
    }


NO_GPU_MESSAGE = ("This machine has no GPU, so this profile cannot start here. Ask an admin "
                  "for a GPU machine or the Kubernetes deployment.")
ADVISORY = ("CPU and memory limits are advisory on this machine: the hub cannot enforce them "
            "(it needs to run as root with writable cgroups).")


def _describe_resources(profile: Profile) -> str:
    parts = []
    r = profile.resources
    if r.cpu_limit:
        parts.append(f"up to {r.cpu_limit:g} CPU")
    if r.mem_limit:
        parts.append(f"{r.mem_limit / 10**9:g} GB memory")
    if profile.gpu:
        parts.append(f"{profile.gpu} GPU")
    return " · ".join(parts)


_FORM_STYLE = """
<style>
.hubml-profiles { display: grid; gap: 10px; margin: 8px 0 4px; }
.hubml-profile { display: flex; gap: 12px; align-items: flex-start; padding: 12px 14px;
  border: 1px solid var(--bs-border-color, #d0d7de); border-radius: 8px; cursor: pointer; }
.hubml-profile:hover { border-color: #f37726; }
.hubml-profile:has(input:checked) { border-color: #f37726; box-shadow: 0 0 0 1px #f37726;
  background: rgba(243, 119, 38, 0.06); }
.hubml-profile:has(input:focus-visible) { outline: 2px solid #f37726; outline-offset: 2px; }
.hubml-profile input { margin-top: 4px; }
.hubml-profile-title { font-weight: 600; font-size: 1.05em; }
.hubml-profile-desc { color: var(--bs-secondary-color, #57606a); margin: 2px 0; }
.hubml-profile-meta { color: var(--bs-secondary-color, #57606a); font-size: 0.9em; }
.hubml-chip { display: inline-block; padding: 0 8px; margin-right: 4px; border-radius: 10px;
  background: var(--bs-tertiary-bg, #eef1f4); font-size: 0.85em; }
.hubml-profile:has(input:disabled) { opacity: 0.6; cursor: not-allowed; }
.hubml-profile-off, .hubml-profile-note { color: var(--bs-warning-text-emphasis, #9a6700);
  font-size: 0.9em; }
.hubml-badge { margin-left: 6px; font-size: 0.8em;
  color: var(--bs-warning-text-emphasis, #9a6700); }
</style>
"""


def render_options_form(profiles: list[Profile], selected: str | None = None,
                        limits_enforced: bool = True, gpus_available: bool = True) -> str:
    """HTML for JupyterHub's spawn page: one radio card per allowed profile.

    ``limits_enforced=False`` adds a line saying CPU and memory limits are advisory here;
    ``gpus_available=False`` shows GPU profiles disabled, saying this machine has no GPU.
    """
    if not profiles:
        return "<p>No profile is open to you. Ask an admin to add you to a group.</p>"
    usable = [p for p in profiles if gpus_available or not p.gpu]
    selected = selected if selected in {p.name for p in usable} else None
    if selected is None and usable:
        selected = next((p.name for p in usable if p.default), usable[0].name)
    cards = []
    for p in profiles:
        disabled = bool(p.gpu) and not gpus_available
        checked = " checked" if p.name == selected else ""
        if disabled:
            checked = " disabled"
        chips = "".join(f'<span class="hubml-chip">{escape(FRAMEWORK_LABELS.get(fw, fw))}</span>'
                        for fw in p.frameworks)
        badge = (f'<span class="hubml-badge">{escape(", ".join(p.groups))} only</span>'
                 if p.groups else "")
        cards.append(
            f'<label class="hubml-profile" for="profile-{escape(p.name)}">'
            f'<input type="radio" name="profile" id="profile-{escape(p.name)}" '
            f'value="{escape(p.name)}"{checked}>'
            f'<div><div class="hubml-profile-title">{escape(p.display_name)}{badge}</div>'
            f'<div class="hubml-profile-desc">{escape(p.description)}</div>'
            f'<div class="hubml-profile-meta">{chips} {escape(_describe_resources(p))}</div>'
            + (f'<div class="hubml-profile-off">{escape(NO_GPU_MESSAGE)}</div>'
               if disabled else "")
            + "</div></label>"
        )
    note = "" if limits_enforced else f'<p class="hubml-profile-note">{escape(ADVISORY)}</p>'
    return _FORM_STYLE + '<div class="hubml-profiles">' + "".join(cards) + "</div>" + note
