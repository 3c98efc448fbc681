"""The extraction engine of issue #4: deadlines, units, tasks, the command, bad inputs."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from nhiemvu.core.errors import DomainError
from nhiemvu.documents.extraction import (
    MAX_BYTES,
    Registry,
    default_registry,
    extract_tasks,
    parse_deadline,
    parse_edxml,
    read_header,
    read_text,
)
from nhiemvu.units.models import Unit

ISSUED = dt.date(2024, 3, 20)
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
GOLD = Path(__file__).resolve().parents[1] / "data" / "extraction"


@pytest.mark.parametrize(
    ("phrase", "deadline", "periodic"),
    [
        ("Hoàn thành trước ngày 15/5/2024.", dt.date(2024, 5, 15), None),
        ("báo cáo chậm nhất ngày 15 tháng 5 năm 2024", dt.date(2024, 5, 15), None),
        ("hoàn thành trong tháng 6/2025", dt.date(2025, 6, 30), None),
        ("thời gian hoàn thành: Quý II/2024", dt.date(2024, 6, 30), None),
        ("báo cáo kết quả 6 tháng đầu năm", dt.date(2024, 6, 30), None),
        ("hoàn thành trong năm 2025", dt.date(2025, 12, 31), None),
        ("gửi báo cáo trước ngày 20/6", dt.date(2024, 6, 20), None),
        ("báo cáo UBND TP trước ngày 15-12", dt.date(2024, 12, 15), None),
        ("triển khai thực hiện ngay", None, None),
        ("khẩn trương tổ chức thực hiện", None, None),
        ("Completed before May 15, 2024.", dt.date(2024, 5, 15), None),
        ("to be completed in December 2025", dt.date(2025, 12, 31), None),
        ("complete in the fourth quarter of 2025", dt.date(2025, 12, 31), None),
        ("định kỳ hàng quý báo cáo UBND tỉnh", None, "quarterly"),
        ("báo cáo hằng tháng", None, "monthly"),
        ("định kỳ 6 tháng báo cáo", None, "semiannual"),
        ("tổng kết hằng năm", None, "annual"),
        ("thường xuyên kiểm tra, đôn đốc", None, "regular"),
        ("report quarterly to the Provincial People's Committee", None, "quarterly"),
        ("thực hiện Quyết định số 12/QĐ-UBND ngày 15/3/2024 của UBND tỉnh", None, None),
        ("to complete before December 31. May 2024", dt.date(2024, 5, 31), None),
        (
            "Thời gian thực hiện kể từ 00 giờ ngày 23/4/2020 cho đến khi có thông báo mới",
            None,
            None,
        ),
        ("thực hiện từ ngày 01/6/2024 đến ngày 30/6/2024", dt.date(2024, 6, 30), None),
    ],
)
def test_deadline_phrasings(phrase: str, deadline: dt.date | None, periodic: str | None) -> None:
    due = parse_deadline(phrase, issued=ISSUED)

    assert (due.date, due.periodic) == (deadline, periodic)


def test_immediate_wording_is_urgent_without_a_date() -> None:
    assert parse_deadline("khẩn trương triển khai", issued=ISSUED).urgent is True


def test_working_days_are_counted_on_the_calendar() -> None:
    due = parse_deadline(
        "trong thời hạn 10 ngày làm việc kể từ ngày ký", issued=dt.date(2025, 4, 25)
    )

    # 26/4/2025 is a make-up Saturday; 30/4-4/5 are days off
    assert due.date == dt.date(2025, 5, 13)


def _names(text: str, registry: Registry | None = None) -> list[tuple[str, list[str]]]:
    mentions = (registry or default_registry()).find(text)
    return [(m.text, [u.name for u in m.units]) for m in mentions]


def test_units_resolve_with_and_without_diacritics() -> None:
    assert _names("Sở Tài chính; So Tai chinh") == [
        ("Sở Tài chính", ["Sở Tài chính"]),
        ("So Tai chinh", ["Sở Tài chính"]),
    ]


def test_old_names_of_merged_departments_resolve_through_aliases() -> None:
    assert _names("Sở Kế hoạch và Đầu tư, Sở LĐTB&XH, Sở Giao thông vận tải") == [
        ("Sở Kế hoạch và Đầu tư", ["Sở Tài chính"]),
        ("Sở LĐTB&XH", ["Sở Nội vụ"]),
        ("Sở Giao thông vận tải", ["Sở Xây dựng"]),
    ]


def test_a_shared_head_lists_several_departments() -> None:
    assert [n for n, _ in _names("Giám đốc các Sở: Tài chính, Y tế, Giáo dục và Đào tạo")] == [
        "Sở Tài chính",
        "Sở Y tế",
        "Sở Giáo dục và Đào tạo",
    ]


def test_a_group_expands_to_the_matching_units() -> None:
    [(name, units)] = _names("UBND các xã, phường")
    registry = json.loads(Path("nhiemvu/units/data/thanh_hoa.json").read_text(encoding="utf-8"))
    communes = {u["name"] for u in registry["units"] if u["kind"] == "commune"}

    assert (name, set(units)) == ("UBND các xã, phường", communes)


def test_english_names_resolve_to_the_vietnamese_units() -> None:
    assert _names("the Department of Planning and Investment") == [
        ("Department of Planning and Investment", ["Sở Tài chính"])
    ]


def test_a_heads_title_is_dropped() -> None:
    [task] = extract_tasks(
        "Yêu cầu Chủ tịch UBND xã Hoằng Hóa rà soát, báo cáo trước ngày 30/6/2025.",
        issued=ISSUED,
        lang="vi",
        registry=default_registry(),
    )

    assert (task.lead, task.lead_units, task.deadline) == (
        ["UBND xã Hoằng Hóa"],
        ["UBND xã Hoằng Hóa"],
        dt.date(2025, 6, 30),
    )


def test_giao_chu_tri_phoi_hop_gives_lead_and_coordinating_units() -> None:
    [task] = extract_tasks(
        "Giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng, Sở Y tế "
        "hoàn thành trong tháng 6/2025.",
        issued=ISSUED,
        lang="vi",
        registry=default_registry(),
    )

    assert (task.lead, task.coordinating, task.coordinating_units, task.deadline) == (
        ["Sở Tài chính"],
        ["Sở Xây dựng", "Sở Y tế"],
        ["Sở Xây dựng", "Sở Y tế"],
        dt.date(2025, 6, 30),
    )


def test_items_under_a_heading_inherit_its_unit() -> None:
    text = (
        "1. Sở Y tế:\n"
        "- Định kỳ hằng quý báo cáo tình hình tiêm chủng.\n"
        "- Hoàn thành rà soát trạm y tế trước ngày 15/5/2024.\n"
        "2. Công an tỉnh chủ trì bảo đảm an ninh trật tự.\n"
    )
    tasks = extract_tasks(text, issued=ISSUED, lang="vi", registry=default_registry())

    assert [(t.lead, t.deadline, t.periodic) for t in tasks] == [
        (["Sở Y tế"], None, "quarterly"),
        (["Sở Y tế"], dt.date(2024, 5, 15), None),
        (["Công an tỉnh"], None, None),
    ]


def test_a_plans_field_lines_complete_the_item() -> None:
    text = (
        "1. Rà soát thủ tục hành chính lĩnh vực đất đai.\n"
        "- Cơ quan chủ trì: Sở Nông nghiệp và Môi trường.\n"
        "- Cơ quan phối hợp: Sở Tư pháp.\n"
        "- Thời gian hoàn thành: Quý III/2024.\n"
    )
    [task] = extract_tasks(text, issued=ISSUED, lang="vi", registry=default_registry())

    assert (task.lead, task.coordinating, task.deadline) == (
        ["Sở Nông nghiệp và Môi trường"],
        ["Sở Tư pháp"],
        dt.date(2024, 9, 30),
    )


@pytest.mark.django_db
def test_the_tenants_registry_gives_unit_ids(cast: Any) -> None:
    registry = Registry.for_tenant(cast.tenant)
    [task] = extract_tasks(
        "Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Xây dựng thực hiện.",
        issued=ISSUED,
        lang="vi",
        registry=registry,
    )

    assert (task.lead_unit_ids, task.coordinating_unit_ids) == (
        [cast.finance.id],
        [cast.construction.id],
    )


@pytest.mark.django_db
def test_the_tenants_registry_is_built_once_until_its_units_change(cast: Any) -> None:
    first = Registry.for_tenant(cast.tenant)

    assert Registry.for_tenant(cast.tenant) is first
    Unit.objects.filter(pk=cast.finance.pk).update(aliases=["Sở KH&ĐT mới"])
    assert Registry.for_tenant(cast.tenant) is not first


def _leads(text: str, lang: str = "vi", issued: dt.date = ISSUED) -> list[tuple[Any, ...]]:
    tasks = extract_tasks(text, issued=issued, lang=lang, registry=default_registry())
    return [(t.lead, t.coordinating, t.deadline) for t in tasks]


def test_a_heads_title_before_the_subject_leaves_it_the_lead() -> None:
    # QĐ 33/2009/QĐ-UBND Tiền Giang, Điều 2 and the execution clause of Điều 4
    text = (
        "Điều 2. Giám đốc Sở Thông tin và Truyền thông phối hợp với các sở, ban, ngành có "
        "liên quan tổ chức triển khai thực hiện Quyết định này.\n"
        "Điều 4. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Thông tin và Truyền "
        "thông, Thủ trưởng các sở, ban ngành tỉnh; Chủ tịch Ủy ban nhân dân các huyện, thành "
        "phố Mỹ Tho, thị xã Gò Công và các tổ chức, cá nhân liên quan có trách nhiệm thi hành "
        "Quyết định này./.\n"
    )
    [task] = extract_tasks(text, issued=ISSUED, lang="vi", registry=default_registry())

    assert (task.lead, task.coordinating, task.lead_units) == (
        ["Sở Thông tin và Truyền thông"],
        ["các sở, ban, ngành có liên quan"],
        ["Sở Khoa học và Công nghệ"],
    )


def test_one_sentence_names_several_leads_and_a_dated_assignment_follows() -> None:
    # chinhphu.vn, Hải Phòng 2016
    text = (
        "Theo đó, UBND TP. Hải Phòng yêu cầu Sở Tài nguyên và Môi trường, Sở Nông nghiệp và "
        "Phát triển nông thôn, UBND huyện Vĩnh Bảo và các cơ quan có liên quan khẩn trương "
        "thực hiện chỉ đạo của UBND TP. Hải Phòng tại Công văn số 992/UBND-ĐC ngày 4/7/2016, "
        "báo cáo UBND thành phố.\n"
        "Đồng thời, giao Sở Tài nguyên và Môi trường, Sở Nông nghiệp và Phát triển nông thôn "
        "căn cứ kết quả kiểm tra vụ việc nêu trên, dự thảo văn bản của UBND thành phố trước "
        "ngày 10/7/2016 để báo cáo Thường trực Thành ủy và Thủ tướng Chính phủ.\n"
    )
    first, second = extract_tasks(text, issued=None, lang="vi", registry=default_registry())

    assert (first.lead, first.deadline, first.urgent) == (
        [
            "Sở Tài nguyên và Môi trường",
            "Sở Nông nghiệp và Phát triển nông thôn",
            "UBND huyện Vĩnh Bảo",
            "các cơ quan có liên quan",
        ],
        None,
        True,
    )
    assert (second.lead_units, second.deadline) == (
        ["Sở Nông nghiệp và Môi trường"],
        dt.date(2016, 7, 10),
    )


def test_a_districts_office_and_its_communes_lead() -> None:
    # Tứ Kỳ (Hải Dương) district portal
    text = (
        "Văn phòng HĐND&UBND huyện có trách nhiệm đôn đốc, tổng hợp danh sách các đơn vị gửi "
        "Văn phòng UBND tỉnh, để phối hợp, hướng dẫn triển khai thực hiện. Yêu cầu UBND các "
        "xã, thị trấn phối hợp và tổ chức thực hiện."
    )
    tasks = extract_tasks(text, issued=ISSUED, lang="vi", registry=default_registry())

    assert [t.lead for t in tasks] == [["Văn phòng HĐND&UBND huyện"], ["UBND các xã, thị trấn"]]
    assert tasks[0].lead_units == []
    assert len(tasks[1].lead_units) == 166  # the registry's communes


def test_a_group_of_local_committees_keeps_its_place_name() -> None:
    # tranvanthoi.camau.dcs.vn
    assert _leads(
        "Theo đó, Chủ tịch UBND tỉnh giao UBND huyện, thành phố Cà Mau khẩn trương thực hiện "
        "nhiệm vụ tự kiểm tra, rà soát về quản lý quy hoạch, xây dựng, đất đai."
    ) == [(["UBND huyện, thành phố Cà Mau"], [], None)]


def test_a_unit_before_a_colon_leads_its_item_and_the_next_sentence_goes_on_with_it() -> None:
    # vietnam.vn, Nghệ An, January 2024
    text = (
        "+ Regarding specific tasks, the Provincial People's Committee assigns departments and "
        "branches:\n"
        "Department of Construction: Guide and urge the district-level People's Committees to "
        "accelerate the establishment and approval of plans. Publicize and introduce land funds "
        "for investment in social housing construction according to regulations.\n"
    )

    assert _leads(text, lang="en") == [(["Department of Construction"], [], None)]


def test_english_groups_of_departments_branches_and_sectors() -> None:
    # vietnam.vn, Điện Bàn general planning; baohaiduong.vn/en, March 2025
    assert _leads(
        "Other relevant departments, branches and sectors, according to their assigned "
        "functions and tasks, shall monitor, inspect, guide and coordinate with the People's "
        "Committee of Dien Ban town in the process of implementing the Project.",
        lang="en",
    ) == [
        (
            ["relevant departments, branches and sectors"],
            ["People's Committee of Dien Ban town"],
            None,
        )
    ]
    assert _leads(
        "He assigned the Department of Construction to coordinate with relevant departments "
        "and localities to review each project.",
        lang="en",
    ) == [(["Department of Construction"], ["relevant departments and localities"], None)]


def test_a_regional_body_is_not_the_provincial_one() -> None:
    # baobinhduong.vn/en, March 2025: the appositions naming heads are not tasks either
    text = (
        "Mr. Nguyen Van Cong, Head of the Tax Department of Region 16, will act as the Deputy "
        "Head of the Standing Committee.\n"
        "The provincial People's Committee has designated the Tax Department of Region 16 to "
        "ensure the operational conditions of the provincial steering committee.\n"
    )
    [task] = extract_tasks(text, issued=ISSUED, lang="en", registry=default_registry())

    assert (task.lead, task.lead_units) == (["Tax Department of Region 16"], [])
    assert _names("Thuế tỉnh; Thuế tỉnh khu vực 16") == [
        ("Thuế tỉnh", ["Thuế tỉnh Thanh Hóa"]),
        ("Thuế tỉnh khu vực 16", []),
    ]


def test_a_chairmans_title_opening_the_sentence_leaves_the_committee_the_lead() -> None:
    # english.quangnam.gov.vn, August 2024
    text = (
        "Specifically, provincial departments, branches, associations, and unions; People's "
        "Committees of districts, towns, and cities implement savings and report the amount of "
        "reduced and saved expenses to the Department of Finance (before August 16, 2024).\n"
        "The Chairman of the People's Committee at the district and commune levels decides to "
        "reduce and save 5% of the regular expenses of affiliated agencies and units.\n"
    )

    assert _leads(text, lang="en") == [
        (
            [
                "provincial departments, branches, associations, and unions",
                "People's Committees of districts, towns, and cities",
            ],
            [],
            dt.date(2024, 8, 16),
        ),
        (["People's Committee at the district and commune levels"], [], None),
    ]


def test_folding_in_place_matches_the_translation_table() -> None:
    from nhiemvu.documents.extraction.units import _TABLE, fold_keep_length

    samples = [
        "Ủy ban nhân dân tỉnh Thanh Hóa giao Sở Y tế",
        "ĐẮK LẮK, Đồng Tháp; Quý II",
        "Plan № 12 – “Cao Bằng” … ß, ø, Å, K, ≠; x",
        "plain ASCII Text",
    ]
    for text in samples:
        assert fold_keep_length(text) == text.translate(_TABLE)


def test_the_quick_tests_agree_with_the_patterns_they_stand_in_for() -> None:
    import itertools

    from nhiemvu.documents.extraction import deadlines, extract, units

    gaps = [
        "",
        ", ",
        " và ",
        ", giam doc ",
        " and the ",
        "; as well as the ",
        ", chairman of the ",
        " phoi hop voi ",
        "(va) ",
        "va\t",
        "giamdoc",
        " 12, ",
    ]
    for gap in gaps:
        assert extract._list_gap(gap) == (extract._LIST_GAP.match(gap) is not None), gap
    titles = [
        *gaps,
        "the chairman of the ",
        " thechairman of",
        "  cac giam doc ",
        " chi huy truong",
        "heads of",
        " the leader of the people",
        "truong",
    ]
    for gap in titles:
        assert extract._title_gap(gap) == (extract._TITLE_GAP.match(gap) is not None), gap
    cues = ["in close coordination with", "the plan of", "supported by", "urged", "giao cho", "x"]
    for gap in cues:
        last = None
        for last in extract._CUES.finditer(gap):  # noqa: B007
            pass
        kinds = ("coord", "lead", "weak", "other")
        expected_cue = next((k for k in kinds if last.group(k)), None) if last else None
        assert extract._last_cue(gap) == expected_cue, gap
    befores = [
        "theo quyet dinh so 12/qd-ubnd ngay ",
        "official dispatch no. 10537/ubnd-kstt dated ",
        "ke hoach da ky ngay ",
        "the plan issued on ",
        "signed",
        "hoan thanh truoc ",
        "decision of the committee dated ",
        "",
    ]
    for before in befores:
        expected = deadlines._CITATION.search(before) is not None
        assert deadlines._citation(before) == expected, before
    for text in ["truoc ngay 15/5/2024", "no digits here", "ngay ١٢", "Quý II", ""]:
        assert deadlines.has_digit(text) == (deadlines._DIGIT.search(text) is not None), text
    for text in ["Ủy ban nhân dân tỉnh giao Sở Y tế, (UBND) các xã.", "Plan № 12 … ø", "a  b"]:
        folded = units.fold_keep_length(units.normalize(text))
        tokens = units._Tokens(text, folded)
        parts = units._WORD_SPLIT.split(folded)
        bounds = list(itertools.accumulate(map(len, parts)))
        expected = (parts[1::2], bounds[0:-1:2], bounds[1::2])
        if "ban nhan dan" in folded:
            expected = units._merge_ubnd(*expected)
        assert (tokens.words, tokens.starts, tokens.ends) == expected, text


def test_the_gates_before_slow_patterns_never_hide_a_match() -> None:
    from nhiemvu.documents.extraction import deadlines, segment, units

    texts = [
        "completed before may 15, 2024 and by 15 may 2024",
        "in the first quarter, by december 31. may 2024",
        "before sept. 30th 2025; the 3rd of june, 2026",
        "by 30/6/2025 and report in march 2024",
        "within the year 2025, no date here",
        "the marketing plan of 12 units",
        "",
    ]
    for t in texts:
        any_month = any(
            p.search(t) for p in (deadlines._EN_MONTH_DAY, deadlines._EN_DAY_MONTH)
        ) or deadlines._EN_MONTH_YEAR.search(t)
        if any_month:
            assert deadlines._EN_MONTH_DIGIT.search(t), t
        if deadlines._EN_DAY_MONTH.search(t) or deadlines._EN_MONTH_YEAR.search(t):
            assert deadlines._EN_MONTH_YEAR_DIGITS.search(t), t
        if deadlines._EN_SLASH.search(t):
            assert deadlines._EN_SLASH_NUMBERS.search(t), t
    # Every word that lets a period or cycle pattern run holds a word of the no-digit gate.
    needed = [
        *deadlines._VI_HALF_WORDS,
        *deadlines._QUARTER_WORDS,
        "quy ",
        "months",
        "cuoi nam",
        "trong nam",
        *(w for words, _, _ in deadlines._PERIODIC_VI + deadlines._PERIODIC_EN for w in words),
    ]
    for word in needed:
        assert any(gate in word for gate in deadlines._NO_DIGIT_ANY), word
    for line in ["a b", " a b", "a  b", "a\tb", "a\u2003b", "Sở Y tế", "x "]:
        assert segment._single_spaced(line) == " ".join(line.split()), repr(line)
    for surface in ["Sở Y tế", "the Department  of Health", "The X", "a\tb"]:
        expected = " ".join(surface.split())
        expected = expected[4:] if expected[:4].lower() == "the " else expected
        assert units._clean(surface) == expected, repr(surface)


def test_an_english_local_committee_is_found_among_capitalised_words() -> None:
    from nhiemvu.documents.extraction import default_registry

    text = (
        "Quang Nam, Da Nang, Hue, Hoi An and Tam Ky asked Tuy Phuoc district's People's "
        "Committee and the Provincial People's Committee."
    )
    found = [(m.text, m.kind) for m in default_registry().find(text)]
    assert found == [
        ("Tuy Phuoc district's People's Committee", "unit"),
        ("Provincial People's Committee", "authority"),
    ]


def test_body_lines_carry_their_fold() -> None:
    from nhiemvu.documents.extraction.segment import lines_of
    from nhiemvu.documents.extraction.units import fold_keep_length

    text = (
        "Căn cứ Luật …\n1. Sở Y tế chủ trì, phối hợp\nvới UBND các xã.\n- Hoàn thành Quý II/2025."
    )
    lines = lines_of(text)
    assert [line.text for line in lines] == [
        "Sở Y tế chủ trì, phối hợp với UBND các xã.",
        "Hoàn thành Quý II/2025.",
    ]
    assert [line.folded for line in lines] == [fold_keep_length(line.text) for line in lines]


def test_sentences_split_after_the_end_mark_only() -> None:
    from nhiemvu.documents.extraction.segment import sentences

    assert sentences("Sở Y tế chủ trì. Sở Tài chính bố trí kinh phí (TP. Thanh Hóa).") == [
        "Sở Y tế chủ trì.",
        "Sở Tài chính bố trí kinh phí (TP. Thanh Hóa).",
    ]


def test_language_is_guessed_from_vietnamese_letters() -> None:
    from nhiemvu.documents.extraction.extract import guess_language

    assert guess_language("Giao Sở Y tế chủ trì, phối hợp với các sở, ban, ngành.") == "vi"
    assert guess_language("The Department of Health shall lead.") is None
    assert guess_language("Giao So Y te chu tri thuc hien.") is None


def _cli(path: Path, *args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("extract", str(path), *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("name", ["e01_seed003_caobang_cchc_2025", "e02_seed004_nghean_de_an_06"])
def test_seeds_003_and_004_through_the_command(name: str) -> None:
    gold = json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))

    result = _cli(GOLD / f"{name}.txt", "--issued", gold["issued"], "--lang", "en")

    got = [(t["lead"], t["deadline"]) for t in result["tasks"]]
    assert len(got) == len(gold["tasks"])
    assert (
        sum(g == (t["lead"], t["deadline"]) for g, t in zip(got, gold["tasks"], strict=True))
        >= len(got) - 1
    )


def test_seed_004_office_task_is_due_on_15_may() -> None:
    result = _cli(
        GOLD / "e02_seed004_nghean_de_an_06.txt", "--issued", "2024-04-20", "--lang", "en"
    )

    assert result["tasks"][0] == {
        "content": result["tasks"][0]["content"],
        "lead": ["Provincial People's Committee Office"],
        "coordinating": [],
        "lead_units": ["Văn phòng UBND tỉnh"],
        "deadline": "2024-05-15",
        "periodic": None,
    }


def test_read_text_refuses_an_empty_file() -> None:
    with pytest.raises(DomainError) as err:
        read_text("a.txt", b"  \n")
    assert err.value.code == "empty"


def test_read_text_refuses_an_unsupported_type() -> None:
    with pytest.raises(DomainError) as err:
        read_text("a.xlsx", b"PK\x03\x04 data")
    assert err.value.code == "unsupported_type"


def test_read_text_refuses_a_file_over_50_mb() -> None:
    with pytest.raises(DomainError) as err:
        read_text("a.txt", b"a" * (MAX_BYTES + 1))
    assert err.value.code == "too_large"


def test_read_text_refuses_a_pdf_without_text() -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)

    with pytest.raises(DomainError) as err:
        read_text("scan.pdf", buffer.getvalue())
    assert err.value.code == "no_text"


def test_read_text_refuses_binary_data_named_txt() -> None:
    with pytest.raises(DomainError) as err:
        read_text("a.txt", b"\x00\x01\x02binary")
    assert err.value.code == "binary"


def test_read_text_reads_a_docx_with_a_table() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Giao Sở Y tế chủ trì thực hiện.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Nội dung"
    table.rows[0].cells[1].text = "Sở Tư pháp"
    buffer = io.BytesIO()
    document.save(buffer)

    assert read_text("a.docx", buffer.getvalue()) == (
        "Giao Sở Y tế chủ trì thực hiện.\nNội dung | Sở Tư pháp"
    )


def test_read_header_finds_number_date_type_subject_signer() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA\nMẬT\nSố: 131/2025/QĐ-UBND\n"
        "Thanh Hóa, ngày 20 tháng 10 năm 2025\nQUYẾT ĐỊNH\nBAN HÀNH QUY CHẾ THEO DÕI\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương;\nĐiều 1. Ban hành.\n"
        "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Hoài Anh\n"
    )

    assert read_header(text) == {
        "number": "131/2025/QĐ-UBND",
        "issued_on": dt.date(2025, 10, 20),
        "place": "Thanh Hóa",
        "classification": "confidential",
        "urgency": "normal",
        "doc_type": "decision",
        "subject": "Ban hành quy chế theo dõi",
        "signer": "Nguyễn Hoài Anh",
    }


def test_read_header_ignores_secrecy_words_in_the_body() -> None:
    text = "Số: 12/UBND-VX\nV/v bảo vệ bí mật nhà nước\nCăn cứ Luật;\nMẬT\n"

    assert read_header(text)["classification"] == "none"


EDXML = """<?xml version="1.0" encoding="UTF-8"?>
<edXML:edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
 <edXML:edXMLEnvelope><edXML:edXMLHeader><edXML:MessageHeader>
  <edXML:From><edXML:OrganId>000.00.00.H56</edXML:OrganId>
   <edXML:OrganName>UBND tỉnh Thanh Hóa</edXML:OrganName></edXML:From>
  <edXML:To><edXML:OrganId>000.01.01.H56</edXML:OrganId>
   <edXML:OrganName>Sở Y tế</edXML:OrganName></edXML:To>
  <edXML:Code><edXML:CodeNumber>1234</edXML:CodeNumber>
   <edXML:CodeNotation>UBND-VX</edXML:CodeNotation></edXML:Code>
  <edXML:PromulgationInfo><edXML:Place>Thanh Hóa</edXML:Place>
   <edXML:PromulgationDate>2025/11/03</edXML:PromulgationDate></edXML:PromulgationInfo>
  <edXML:DocumentType><edXML:Type>18</edXML:Type>
   <edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
  <edXML:Subject>V/v tiêm chủng</edXML:Subject>
  <edXML:SignerInfo><edXML:Competence>KT. CHỦ TỊCH</edXML:Competence>
   <edXML:Position>PHÓ CHỦ TỊCH</edXML:Position>
   <edXML:FullName>Lê Văn A</edXML:FullName></edXML:SignerInfo>
  <edXML:DueDate>2025/11/20</edXML:DueDate>
  <edXML:OtherInfo><edXML:Priority>1</edXML:Priority></edXML:OtherInfo>
 </edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope>
 <edXML:AttachmentEncoded><edXML:Attachment>
  <edXML:ContentType>text/plain</edXML:ContentType><edXML:ContentId>a1</edXML:ContentId>
  <edXML:AttachmentName>cv.txt</edXML:AttachmentName>
  <edXML:ContentTransferEncoded>%s</edXML:ContentTransferEncoded>
 </edXML:Attachment></edXML:AttachmentEncoded>
</edXML:edXML>
"""


def test_parse_edxml_reads_header_and_attachments() -> None:
    body = base64.b64encode("Giao Sở Y tế chủ trì.".encode()).decode()

    header, attachments = parse_edxml((EDXML % body).encode())

    assert {
        k: header[k] for k in ("number", "issued_on", "doc_type", "signer", "urgency", "due_on")
    } == {
        "number": "1234/UBND-VX",
        "issued_on": dt.date(2025, 11, 3),
        "doc_type": "official_letter",
        "signer": "Lê Văn A",
        "urgency": "urgent",
        "due_on": dt.date(2025, 11, 20),
    }
    assert [(a.name, a.data.decode()) for a in attachments] == [("cv.txt", "Giao Sở Y tế chủ trì.")]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<edXML><unclosed>",
        b"<root><child/></root>",
        b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><edXML>&b;</edXML>',
    ],
)
def test_parse_edxml_refuses_malformed_packages(data: bytes) -> None:
    with pytest.raises(DomainError) as err:
        parse_edxml(data)
    assert err.value.code == "malformed_edxml"


def test_the_command_refuses_an_unknown_tenant(db: Any, tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    path = tmp_path / "a.txt"
    path.write_text("Giao Sở Y tế chủ trì.", encoding="utf-8")

    with pytest.raises(CommandError):
        call_command("extract", str(path), "--tenant", "nowhere", stdout=io.StringIO())


def test_units_model_is_what_the_registry_reads(cast: Any) -> None:
    assert Unit.objects.filter(tenant=cast.tenant, name="Sở Tài chính").exists()


def test_groups_written_as_lists_expand_to_the_kinds_they_list() -> None:
    registry = default_registry()
    communes = {u.name for u in registry.units if u.kind == "commune"}
    kinds = ("office", "department", "agency", "commune")
    tasks = extract_tasks(
        "Yêu cầu UBND huyện, thị xã, thành phố rà soát, báo cáo.\n"
        "Giao UBND các xã, phường và thị trấn tổ chức tuyên truyền.\n"
        "The Chairman demanded all levels, branches and units to strictly implement it.\n",
        issued=ISSUED,
        lang=None,
        registry=registry,
    )
    assert [(t.lead, len(t.lead_units)) for t in tasks] == [
        (["UBND huyện, thị xã, thành phố"], 0),
        (["UBND các xã, phường và thị trấn"], len(communes)),
        (["all levels, branches and units"], len(registry.members(kinds))),
    ]
    assert set(tasks[1].lead_units) == communes


def test_a_sentence_with_its_own_instruction_is_no_closing_restatement() -> None:
    text = (
        "Giao Ban An toàn giao thông tỉnh xây dựng kế hoạch chi tiết.\n"
        "Ban An toàn giao thông tỉnh thường xuyên báo cáo tình hình triển khai thực hiện của "
        "các ngành cho UBND tỉnh.\n"
        "Ban An toàn giao thông tỉnh tổ chức triển khai thực hiện.\n"
    )
    assert _leads(text) == [
        (["Ban An toàn giao thông tỉnh"], [], None),
        (["Ban An toàn giao thông tỉnh"], [], None),
    ]


def test_the_executing_clause_is_no_task_in_any_wording() -> None:
    # QĐ 2191/QĐ-UBND Thái Nguyên 2017 writes "chịu trách nhiệm hành" ("thi" left out)
    text = (
        "Điều 3. Chánh Văn phòng UBND tỉnh; Thủ trưởng các sở, ban, ngành, thuộc tỉnh; Chủ "
        "tịch UBND các huyện, thành phố, thị xã chịu trách nhiệm hành Quyết định này./.\n"
        "Giám đốc các sở, ban, ngành chịu trách nhiệm tổ chức thực hiện Chỉ thị này.\n"
    )

    assert _leads(text) == []


def test_addressees_listed_with_semicolons_share_the_request_before_them() -> None:
    # Chỉ thị 11/CT-CTUBND Hưng Yên 2020: the first addressee is no registry unit
    text = (
        "Chủ tịch UBND tỉnh yêu cầu các thành viên Ban Chỉ đạo phòng, chống thiên tai các cấp; "
        "Thủ trưởng các sở, ban, ngành; người đứng đầu các cơ quan, đơn vị khẩn trương triển "
        "khai phương án ứng phó."
    )

    assert _leads(text) == [(["các sở, ban, ngành", "các cơ quan, đơn vị"], [], None)]


def test_english_names_with_war_invalids_and_the_customs_resolve() -> None:
    assert _names(
        "the Department of Labor, War Invalids and Social Affairs, the Provincial Customs "
        "Department"
    ) == [
        ("Department of Labor, War Invalids and Social Affairs", ["Sở Nội vụ"]),
        ("Provincial Customs Department", []),
    ]


def test_collective_nouns_after_a_comma_go_on_with_the_group() -> None:
    registry = default_registry()
    provincial = registry.find("các sở, ban, ngành")[0].units
    everyone = registry.find("các cơ quan, đơn vị")[0].units

    assert [
        (m.text, m.units)
        for m in registry.find(
            "yêu cầu các sở, ban, ngành, cơ quan đơn vị đoàn thể và UBND các huyện thực hiện; "
            "các cơ quan, đơn vị, doanh nghiệp; các sở, ban, ngành tổ chức thực hiện"
        )
    ] == [
        ("các sở, ban, ngành, cơ quan đơn vị đoàn thể", provincial),
        ("UBND các huyện", ()),
        ("các cơ quan, đơn vị, doanh nghiệp", everyone),
        ("các sở, ban, ngành", provincial),
    ]


def test_a_branch_named_after_a_body_is_part_of_its_name() -> None:
    # Official Dispatch 1144/UBND-TH Nghệ An 2015, English edition
    assert _leads(
        "The State Bank of Vietnam, Nghe An Branch, directs and guides the commercial banks.",
        lang="en",
    ) == [(["State Bank of Vietnam, Nghe An Branch"], [], None)]


def test_a_report_of_what_a_unit_did_or_has_not_done_is_no_task() -> None:
    # Báo Hải Dương 5/1/2018 on the new-countryside debts
    text = (
        "Đến ngày 4.1, Sở Kế hoạch và Đầu tư vẫn chưa nhận được báo cáo của UBND các huyện.\n"
        "Trước đó, ngày 11.12.2017, Sở Kế hoạch và Đầu tư có công văn gửi các đơn vị đề nghị "
        "chậm nhất ngày 25.12.2017 phải báo cáo.\n"
        "UBND các huyện, thị xã, thành phố cần khẩn trương nộp báo cáo theo yêu cầu để Sở Kế "
        "hoạch và Đầu tư có căn cứ tổng hợp, báo cáo UBND tỉnh.\n"
    )

    assert _leads(text) == [(["UBND các huyện, thị xã, thành phố"], [], None)]


def test_english_commune_committees_and_the_city_police() -> None:
    assert _names("the Commune People's Committees and the City Police")[1] == (
        "City Police",
        ["Công an tỉnh"],
    )
    assert len(_names("the Commune People's Committees")[0][1]) == len(
        _names("UBND các xã, phường")[0][1]
    )


def test_english_lists_of_group_nouns_go_on_and_may_open_a_sentence() -> None:
    # Bình Dương's English portal, August and September 2021
    registry = default_registry()
    everyone = registry.find("các cơ quan, đơn vị")[0].units
    provincial = registry.find("các sở, ban, ngành")[0].units
    text = (
        "The Provincial People's Committee requests departments, committees, branches, "
        "People's Committees of districts, towns and cities to perform the assigned tasks. "
        "Units and localities continue to review the transfer of patients. "
        "Local authorities, agencies and units continue to strictly implement Directive 16."
    )

    assert [(m.text, m.units) for m in registry.find(text)] == [
        ("Provincial People's Committee", ()),
        ("departments, committees, branches", provincial),
        ("People's Committees of districts, towns and cities", ()),
        ("Units and localities", everyone),
        ("Local authorities, agencies and units", everyone),
    ]


def test_a_sender_named_with_its_heads_name_is_reported_and_its_addressees_lead() -> None:
    # Quảng Trị news, 9/10/2020
    text = (
        "Chiều nay, Giám đốc Sở Giáo dục và Đào tạo Lê Thị Hương đã ký văn bản hỏa tốc đề nghị "
        "UBND các huyện, thị xã, thành phố tiếp tục cho học sinh nghỉ học đến ngày 10/10/2020."
    )

    assert _leads(text) == [(["UBND các huyện, thị xã, thành phố"], [], dt.date(2020, 10, 10))]


def test_what_a_unit_just_did_is_reported_but_what_it_was_just_given_is_a_task() -> None:
    assert _leads("Sở Tài chính vừa ban hành công văn hướng dẫn các đơn vị.") == []
    assert _leads("Sở Tài chính vừa được giao chủ trì thẩm định dự án.") == [
        (["Sở Tài chính"], [], None)
    ]


def test_what_a_body_with_duties_directs_does_not_lead() -> None:
    # Báo Quảng Nam on a new steering committee: the committee is no registry unit
    text = (
        "Ban chỉ đạo có trách nhiệm xây dựng chương trình, kế hoạch hoạt động cụ thể; chỉ đạo "
        "các ngành liên quan và địa phương phối hợp triển khai thực hiện."
    )

    assert _leads(text) == []
