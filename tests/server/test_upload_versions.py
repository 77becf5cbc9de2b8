"""Uploads under an existing name: the same data makes no new version (200, unchanged), other
columns need a confirmation (409 with the differences, nothing written), and a messy export
(NA strings, dates, free text, R's unnamed row-number column) imports with the types a data
scientist expects; a file with no rows is refused."""

import pandas as pd

import hubml
from tests.server.helpers import error_of, multipart, tree_hash

UPLOADS = "projects/sales/datasets"

# an R write.csv export: quoted header with an empty first name, row numbers 1..n, NA strings,
# ISO dates, free text with commas and quotes
PENGUINS = (
    b'"","species","island","bill_length_mm","sex","year","observed","comments"\n'
    b'"1","Adelie","Torgersen",39.1,"male",2007,2007-11-11,"Not enough blood for isotopes."\n'
    b'"2","Adelie","Torgersen",39.5,"female",2007,2007-11-11,NA\n'
    b'"3","Adelie","Torgersen",NA,NA,2007,2007-11-16,"Adult not sampled, nest never observed"\n'
    b'"4","Gentoo","Biscoe",46.5,"female",2008,2008-11-09,"said ""hi"" twice"\n'
    b'"5","Chinstrap","Dream",50.2,"male",2009,2009-11-21,NA\n'
)
# the same penguins, a later export with another schema: sex dropped, body mass added,
# year as text
PENGUINS_V2 = (
    b'"","species","island","bill_length_mm","body_mass_g","year","observed","comments"\n'
    b'"1","Adelie","Torgersen",39.1,3750,"y2007",2007-11-11,NA\n'
    b'"2","Gentoo","Biscoe",46.5,5200,"y2008",2008-11-09,"ok"\n'
)


async def upload(api, filename, data, fields=None, params=None):
    body, headers = multipart({"file": (filename, data)}, fields)
    return await api("POST", UPLOADS, body, params=params, headers=headers)


async def test_r_export_drops_the_row_numbers_and_keeps_dates_and_missing_values(api, project):
    code, body = await upload(api, "penguins_raw.csv", PENGUINS, {"name": "penguins-raw"})
    assert code == 201, body
    assert body["unchanged"] is False
    assert body["notes"] and "dropped the unnamed first column" in body["notes"][0]
    assert body["dataset"]["source"]["notes"] == body["notes"]
    columns = {c["name"]: c["dtype"] for c in body["dataset"]["columns"]}
    assert list(columns) == ["species", "island", "bill_length_mm", "sex", "year", "observed",
                             "comments"]
    assert columns["observed"] == "datetime64[us]" and columns["bill_length_mm"] == "float64"
    assert columns["year"] == "int64" and columns["comments"] in ("object", "str")
    df = hubml.project("sales").dataset("penguins-raw").load()
    assert df["observed"].iloc[2] == pd.Timestamp("2007-11-16")
    assert df["bill_length_mm"].isna().tolist() == [False, False, True, False, False]
    assert df["sex"].isna().sum() == 1 and df["comments"].isna().sum() == 2
    assert df["comments"].iloc[3] == 'said "hi" twice'


async def test_a_first_column_that_is_not_a_row_number_is_kept_with_a_note(api, project):
    data = b',score\n"A-17",3\n"B-02",4\n'
    code, body = await upload(api, "ids.csv", data)
    assert code == 201, body
    assert [c["name"] for c in body["dataset"]["columns"]] == ["Unnamed: 0", "score"]
    assert "not plain row numbers" in body["notes"][0]
    shuffled = b'"Unnamed: 0",score\n3,1\n1,2\n2,3\n'  # numbers, but not the rows' order
    code, body = await upload(api, "shuffled.csv", shuffled)
    assert code == 201 and [c["name"] for c in body["dataset"]["columns"]][0] == "Unnamed: 0"


async def test_identical_upload_makes_no_version_and_says_so(api, project):
    first = await upload(api, "penguins_raw.csv", PENGUINS, {"name": "penguins-raw"})
    assert first[0] == 201
    before = tree_hash(project.path)
    # the same data exported again with other line endings and quoting is the same data too
    again = PENGUINS.replace(b"\n", b"\r\n")
    code, body = await upload(api, "penguins_raw.csv", again, {"name": "penguins-raw"})
    assert code == 200, body
    assert body["unchanged"] is True and "unchanged" in body["message"]
    assert body["dataset"] == first[1]["dataset"]
    assert body["raw"] == first[1]["raw"] == "data/penguins_raw.csv"
    assert tree_hash(project.path) == before  # no version, no second raw copy, no temp file
    assert [v.version for v in hubml.project("sales").dataset("penguins-raw").versions()] == [1]


async def test_other_schema_is_409_with_the_differences_until_confirmed(api, project):
    assert (await upload(api, "penguins_raw.csv", PENGUINS, {"name": "penguins-raw"}))[0] == 201
    before = tree_hash(project.path)
    code, body = await upload(api, "penguins_2.csv", PENGUINS_V2, {"name": "penguins-raw"})
    assert code == 409, body
    error = error_of(body)
    assert error["code"] == "schema_changed"
    details = error["details"]
    assert details["dataset"] == "penguins-raw" and details["version"] == 1
    assert details["added"] == [{"name": "body_mass_g", "dtype": "int64"}]
    assert details["removed"] == [{"name": "sex", "dtype": details["removed"][0]["dtype"]}]
    assert [(c["name"], c["old"]) for c in details["changed"]] == [("year", "int64")]
    assert details["changed"][0]["new"] in ("object", "str")
    assert details["confirm"] == "confirm_schema_change"
    assert "body_mass_g" in error["message"] and "confirm_schema_change" in error["message"]
    assert tree_hash(project.path) == before  # nothing written, the streamed file removed

    code, body = await upload(api, "penguins_2.csv", PENGUINS_V2,
                              {"name": "penguins-raw", "confirm_schema_change": "true"})
    assert code == 201, body
    assert body["dataset"]["version"] == 2 and body["raw"] == "data/penguins_2.csv"
    latest = hubml.project("sales").dataset("penguins-raw").latest
    assert latest.version == 2 and "body_mass_g" in latest.load().columns


async def test_confirmation_as_a_query_argument_of_a_raw_upload(api, project):
    assert (await upload(api, "p.csv", PENGUINS, {"name": "penguins-raw"}))[0] == 201
    params = {"filename": "p2.csv", "name": "penguins-raw"}
    headers = {"Content-Type": "text/csv"}
    assert (await api("POST", UPLOADS, PENGUINS_V2, params=params, headers=headers))[0] == 409
    code, body = await api("POST", UPLOADS, PENGUINS_V2, headers=headers,
                           params={**params, "confirm_schema_change": "true"})
    assert code == 201 and body["dataset"]["version"] == 2


async def test_a_file_without_rows_is_refused_and_leaves_nothing(api, project):
    before = tree_hash(project.path)
    for filename, data in (("word.txt", b"penguins\n"), ("header.csv", b"a,b,c\n")):
        code, body = await upload(api, filename, data)
        assert code == 400, body
        error = error_of(body)
        assert "no rows" in error["message"] and error["details"]["field"] == "file"
        assert tree_hash(project.path) == before


async def test_openapi_documents_the_unchanged_answer_and_the_409(api, project):
    import jsonschema

    code, doc = await api("GET", "openapi.json")
    assert code == 200
    responses = doc["paths"]["/projects/{project}/datasets"]["post"]["responses"]
    assert {"200", "201", "409"} <= set(responses)
    assert "schema_changed" in responses["409"]["description"]
    uploaded = {"$ref": "#/components/schemas/Uploaded", "components": doc["components"]}
    first = await upload(api, "p.csv", PENGUINS, {"name": "penguins-raw"})
    again = await upload(api, "p.csv", PENGUINS, {"name": "penguins-raw"})
    assert (first[0], again[0]) == (201, 200)
    for _, body in (first, again):
        jsonschema.validate(body, uploaded)
    error = {"$ref": "#/components/schemas/Error", "components": doc["components"]}
    code, body = await upload(api, "p2.csv", PENGUINS_V2, {"name": "penguins-raw"})
    assert code == 409
    jsonschema.validate(body, error)
