"""Draw the kernels' 64x64 logos: ``python images/kernel_logos.py`` (needs Pillow).

A rounded square in the framework's colour with a short label, drawn at 4x and scaled down
for smooth edges. The PNGs are committed; run this again only to change a logo.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

__all__ = ["LOGOS", "draw_logo", "main"]

KERNELS = Path(__file__).resolve().parents[1] / "kernels"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SIZE, SCALE = 64, 4

# kernel -> (label, background, text colour)
LOGOS = {
    "hubml-python": ("ML", "#3776AB", "#FFFFFF"),
    "hubml-sklearn": ("sk", "#F7931E", "#FFFFFF"),
    "hubml-tensorflow": ("TF", "#FF6F00", "#FFFFFF"),
    "hubml-torch": ("PT", "#EE4C2C", "#FFFFFF"),
    "hubml-h2o": ("H2O", "#FFD500", "#1A1A1A"),
}


def draw_logo(label: str, background: str, colour: str) -> Image.Image:
    big = SIZE * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=12 * SCALE, fill=background)
    size = (30 if len(label) <= 2 else 22) * SCALE
    font = ImageFont.truetype(FONT, size)
    draw.text((big / 2, big / 2), label, font=font, fill=colour, anchor="mm")
    return image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def main() -> None:
    for kernel, (label, background, colour) in LOGOS.items():
        path = KERNELS / kernel / "logo-64x64.png"
        draw_logo(label, background, colour).save(path, optimize=True)
        print(f"wrote {path.relative_to(KERNELS.parent)}")


if __name__ == "__main__":
    main()
