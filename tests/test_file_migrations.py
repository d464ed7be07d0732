"""Files from before engine 0.4 keep their meaning: the migration to format 4."""
from __future__ import annotations

from test_files import v1_data, write_json

from model.files.jsonfile import MIGRATIONS, load_project, migrate_v1_to_v2


def test_a_v3_file_keeps_its_meaning_without_the_interoperability_lever(tmp_path):
    """Version 3 knew no interoperability: its variants load with 0 (lock-in at its full
    rate, as when they were written), and a value a file does hold is kept."""
    from model.files.jsonfile import migrate_v2_to_v3, migrate_v3_to_v4

    v3 = migrate_v2_to_v3(migrate_v1_to_v2(v1_data()))
    v4 = migrate_v3_to_v4(v3)
    assert v4["version"] == 4 and MIGRATIONS[3] is migrate_v3_to_v4
    assert v4["variants"][0]["parameters"] == {"openness_floor": 0.4, "interoperability": 0.0}
    project = load_project(write_json(tmp_path / "v3.json", v3))
    assert project.current.parameters["interoperability"] == 0.0
    held = {**v3, "variants": [{**v3["variants"][0], "parameters": {"interoperability": 0.7}}]}
    assert load_project(write_json(tmp_path / "held.json", held)) \
        .current.parameters["interoperability"] == 0.7
