"""Scoring without running anything: the points table, the credit rule, prerequisites, reports."""

import json
import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest

from checks.library.components import COMPONENTS as COMPONENT_TABLE, all_prerequisites
from checks.library.catalog import all_checks, spec_of
from checks.library.registry import chapter_of
from checks.library.outcomes import Outcome
from checks.grading import score_records
from checks.grading.records import Record
from checks.grading.scoring import GradeResult
from checks.grading.deviations import deviation_for
from checks.grading.points import CHAPTERS, TOTAL, points_for
from checks.grading.report import gradescope_results, junit_xml, render_summary, write_atomic

NODE = "checks/suite/test_components.py::test_component[{}-{}]"
PAIRS = all_checks()
COMPONENTS = {case.component for _, case in PAIRS}
WEIGHTS = {check.__name__: spec_of(check.__name__).weight for check, _ in PAIRS}
PROPERTY_CHECKS = {check.__name__ for check, _ in PAIRS if spec_of(check.__name__).role == "property"}
GRADIENT_CHECKS = {"check_backward_gradient_dx", "check_backward_gradient_params", "check_gradient_matches_numerical",
                   "check_numerical_gradient_any_shape"}


def _raw(check, case, kind="passed", message="", on_path=None, xfail=None):
    """The Record the plugin would write; a failure's path is its own component unless `on_path` says more."""
    outcome = Outcome(kind)
    if on_path is None and outcome.path_known:
        on_path = (case.component,)
    return Record(NODE.format(case.id, check.__name__), check.__name__, case.id, outcome, message, "call", 0.01,
                  xfail, None if on_path is None else tuple(on_path))


def _all_raw(kinds=None, **overrides):
    """A raw record for every pair: passed unless `kinds` maps (its test id, case id or component) to a kind."""
    kinds = kinds or {}
    records = []
    for check, case in PAIRS:
        kind = kinds.get(f"{case.id}-{check.__name__}", kinds.get(case.id, kinds.get(case.component, "passed")))
        message = overrides.get(case.component, f"{case.component} said no" if kind != "passed" else "")
        records.append(_raw(check, case, kind, message))
    return records


def test_the_weights_and_roles_are_the_declared_scale():
    """Weights are on the scale points.py documents; the property checks are the hygiene checks."""
    assert set(WEIGHTS.values()) <= {1, 2, 3, 4, 6}
    assert PROPERTY_CHECKS == {
        "check_output_and_gradient_shapes", "check_backward_linear_in_dout", "check_zero_dout_gives_zero_gradients",
        "check_batch_equals_per_sample", "check_forward_keeps_input", "check_backward_repeatable",
        "check_keeps_input", "check_numerical_gradient_restores_x", "check_step_function_returns_integers",
        "check_update_in_place"}
    assert all(WEIGHTS[name] == 1 for name in PROPERTY_CHECKS)


def test_chapter_totals_make_100_and_gradient_checks_weigh_more():
    assert TOTAL == 100
    assert {chapter: c.total for chapter, c in CHAPTERS.items()} == {2: 5, 3: 10, 4: 15, 5: 20, 6: 20, 7: 20, 8: 10}
    gradient = [w for name, w in WEIGHTS.items() if name in GRADIENT_CHECKS]
    properties = [w for name, w in WEIGHTS.items() if name in PROPERTY_CHECKS]
    assert min(gradient) > max(properties)


@pytest.mark.parametrize("kind", ["package", "book"])
def test_points_of_every_chapter_add_up_to_its_total(kind):
    entries = [((case.id, check.__name__), chapter_of(case), check.__name__,
                deviation_for(kind, check.__name__, case.component) is None) for check, case in PAIRS]
    points = points_for(entries)
    for chapter, table in CHAPTERS.items():
        total = sum((points[key] for key, ch, _, _ in entries if ch == chapter), Fraction(0))
        assert total == table.total, chapter
    assert sum(points.values(), Fraction(0)) == 100
    for key, _, check_name, at_stake in entries:
        assert (points[key] > 0) == at_stake


def test_prerequisites_name_graded_components_without_cycles():
    for component, requires in COMPONENT_TABLE.items():
        assert set(requires) <= COMPONENTS, (component, set(requires) - COMPONENTS)
        assert component not in all_prerequisites(component)
    assert all_prerequisites("TwoLayerNet")[:3] == ["Affine", "Relu", "SoftmaxWithLoss"]
    assert "softmax" in all_prerequisites("TwoLayerNet")


def test_all_passing_scores_100_and_all_not_attempted_scores_0():
    records = score_records(_all_raw(), "package")
    assert sum(r.earned for r in records) == 100 and all(r.outcome == "passed" for r in records)
    records = score_records(_all_raw({c: "not_attempted" for c in COMPONENTS}), "package")
    assert sum(r.earned for r in records) == 0 and {r.outcome for r in records} == {"not_attempted"}


def test_missing_counts_as_not_attempted_and_crashes_as_errors():
    records = score_records(_all_raw({"AND": "missing", "NAND": "timeout", "OR": "crashed", "XOR": "harness"}),
                            "package")
    by_component = {r.component: r for r in records if r.chapter == 2}
    assert by_component["AND"].outcome == "not_attempted"
    assert {by_component[c].outcome for c in ("NAND", "OR", "XOR")} == {"error"}
    assert sum(r.earned for r in records) == 95


def test_a_placeholder_earns_nothing_for_properties():
    """Relu passing only its property checks (e.g. backward returning zeros) earns 0."""
    kinds = {case.id: "wrong" for check, case in PAIRS if case.component == "Relu"}
    raw = []
    for check, case in PAIRS:
        kind = "passed" if check.__name__ in PROPERTY_CHECKS or case.component != "Relu" else "wrong"
        raw.append(_raw(check, case, kind, "wrong gradient" if kind == "wrong" else ""))
    records = [r for r in score_records(raw, "package") if r.component == "Relu"]
    assert kinds and sum(r.earned for r in records) == 0
    gated = [r for r in records if r.detail == "gated"]
    assert gated and all("not credited" in r.message for r in gated)


def test_a_network_failing_inside_a_missing_layer_is_blocked_by_it():
    stub = "Affine.forward: not implemented yet — book §5.6.2, exercises/layers/affine.py"
    raw = []
    for check, case in PAIRS:
        if case.component == "Affine":
            raw.append(_raw(check, case, "not_attempted", f"NOT ATTEMPTED: Affine raised NotImplementedError: {stub}"))
        elif case.component in ("TwoLayerNet", "MultiLayerNet"):  # raised inside Affine's stub
            raw.append(_raw(check, case, "not_attempted", "NOT ATTEMPTED: TwoLayerNet.gradient raised …",
                            on_path=(case.component, "Affine", "Relu")))
        elif case.component == "SimpleConvNet":  # its own stub: not blocked
            raw.append(_raw(check, case, "not_attempted", "NOT ATTEMPTED", on_path=("SimpleConvNet",)))
        else:
            raw.append(_raw(check, case))
    records = score_records(raw, "package")
    blocked = [r for r in records if r.component == "TwoLayerNet"]
    assert blocked and all(r.blocked_by == ("Affine",) for r in blocked)
    assert blocked[0].message.startswith("blocked: prerequisite Affine not attempted")
    assert all(not r.blocked_by for r in records if r.component in ("SimpleConvNet", "Affine"))


def test_a_wrong_network_over_a_wrong_layer_points_at_the_layer():
    raw = [_raw(check, case, "wrong" if case.component in ("Relu", "TwoLayerNet") else "passed",
                f"check failed for {case.id}", on_path=(case.component, "Affine", "Relu", "SoftmaxWithLoss"))
           for check, case in PAIRS]
    records = score_records(raw, "package")
    network = [r for r in records if r.component == "TwoLayerNet"]
    assert all(r.blocked_by == ("Relu",) and r.outcome == "wrong" for r in network)
    assert "blocked: prerequisite Relu wrong" in network[0].message


def test_a_prerequisite_is_blamed_only_when_the_failing_path_ran_it():
    """softmax is wrong; the network's checks that ran it are blocked by it, the others are its own failures,
    and a hang (whose path is unknown) is blamed on nobody."""
    network = [(check, case) for check, case in PAIRS if case.component == "TwoLayerNet"]
    ran_softmax, own, hung = network[0], network[1], network[2]
    raw = []
    for check, case in PAIRS:
        if case.component == "softmax":
            raw.append(_raw(check, case, "wrong", "softmax said no"))
        elif (check, case) == ran_softmax:
            raw.append(_raw(check, case, "wrong", "loss differs", on_path=("TwoLayerNet", "SoftmaxWithLoss", "softmax")))
        elif (check, case) == own:
            raw.append(_raw(check, case, "error", "TwoLayerNet.predict raised", on_path=("TwoLayerNet", "Affine")))
        elif (check, case) == hung:
            raw.append(_raw(check, case, "timeout", "TIMED OUT: TwoLayerNet.gradient: no answer"))
        else:
            raw.append(_raw(check, case))
    records = {(r.check, r.case): r for r in score_records(raw, "package")}
    blocked = records[(ran_softmax[0].__name__, ran_softmax[1].id)]
    assert blocked.blocked_by == ("softmax",) and blocked.message.startswith("blocked: prerequisite softmax wrong")
    assert blocked.on_path == ("TwoLayerNet", "SoftmaxWithLoss", "softmax")
    for check, case in (own, hung):
        record = records[(check.__name__, case.id)]
        assert not record.blocked_by and not record.message.startswith("blocked")
    assert records[(hung[0].__name__, hung[1].id)].on_path is None


def test_deviations_are_out_of_the_points_and_listed():
    # the book's sigmoid warns about overflow (a declared deviation) and still saturates right
    raw = _all_raw({"sigmoid(large-inputs)-check_sigmoid_no_overflow_warning": "wrong"})
    records = score_records(raw, "book")
    deviations = [r for r in records if r.outcome == "deviation"]
    assert {r.component for r in deviations} == {"sigmoid"}
    assert all(r.points == 0 and r.deviation for r in deviations)
    assert sum(r.earned for r in records) == sum(r.points for r in records) == 100


def test_components_kept_in_chapter_scripts_are_at_stake_in_a_book_layout():
    """numerical_diff, gradient_descent and predict have homes in ch03/ and ch04/: missing there loses points."""
    raw = _all_raw({"numerical_diff": "missing", "predict": "missing", "gradient_descent": "missing"})
    records = score_records(raw, "book")
    scripts = [r for r in records if r.component in ("numerical_diff", "predict", "gradient_descent")]
    assert scripts and all(r.outcome == "not_attempted" and r.points > 0 for r in scripts)


def _result(records):
    return GradeResult(impl="x", label="x", kind="package", records=records,
                       exact_score=sum((r.earned for r in records), Fraction(0)),
                       exact_max_score=sum((r.points for r in records), Fraction(0)), execution_time=1.5)


def test_gradescope_results_and_junit_are_well_formed():
    records = score_records(_all_raw({"Affine": "wrong", "AND": "not_attempted", "OR": "crashed"},
                                     Affine="check failed \x00 with <xml> & \"quotes\""), "package")
    result = _result(records)
    data = gradescope_results(result)
    assert {"score", "max_score", "execution_time", "output", "tests"} <= set(data)
    assert data["max_score"] == 100 and abs(data["score"] - sum(t["score"] for t in data["tests"])) < 1e-3
    for test in data["tests"]:
        assert set(test) >= {"name", "number", "score", "max_score", "status", "output", "visibility"}
        assert test["status"] in ("passed", "failed")
    json.dumps(data)
    root = ET.fromstring(junit_xml(result).split("?>", 1)[1])
    suite = root.find("testsuite")
    assert int(suite.get("tests")) == len(records)
    assert int(suite.get("errors")) == sum(r.outcome == "error" for r in records)
    assert "per-chapter" not in render_summary(result)  # renders without error


def test_write_atomic_replaces_whole_files_only(tmp_path, monkeypatch):
    target = tmp_path / "out" / "results.json"
    write_atomic(target, "first\n")
    assert target.read_text() == "first\n"

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr("os.fsync", broken_fsync)
    with pytest.raises(OSError):
        write_atomic(target, "second, never complete\n")
    assert target.read_text() == "first\n"
    assert [p.name for p in target.parent.iterdir()] == ["results.json"]


class _Config:
    def __init__(self, grade_dir, run_timeout=None):
        self.options = {"--grade-dir": str(grade_dir), "--grade-call-timeout": 10.0, "--grade-load-timeout": 30.0,
                        "--grade-run-timeout": run_timeout}

    def getoption(self, name):
        return self.options[name]


class _Item:
    def __init__(self, config, case):
        self.config = config
        self.callspec = type("CallSpec", (), {"params": {"check": None, "case": case}})()


def test_time_limits_shrink_after_a_prerequisite_hangs_or_the_hang_budget_is_spent(tmp_path):
    """A submission hanging everywhere cannot cost the full limits for each of its methods."""
    from checks.grading import plugin

    config = _Config(tmp_path)
    case = {case.component: case for _, case in PAIRS}
    network, gate = _Item(config, case["TwoLayerNet"]), _Item(config, case["AND"])
    assert plugin._limits(network) == plugin._limits(gate) == (10.0, 30.0)
    plugin._remember_timeout(config, "Affine", 10.0, "Affine.backward: no answer within 10 s")
    assert plugin._limits(network) == (plugin.DEPENDENT_CALL_TIMEOUT, 30.0)  # built on Affine
    assert plugin._limits(gate) == (10.0, 30.0)  # not built on it
    for _ in range(int(plugin.HANG_BUDGET // 10.0)):
        plugin._remember_timeout(config, "Sigmoid", 10.0, "Sigmoid.forward: no answer within 10 s")
    assert plugin._limits(gate) == (plugin.DEPENDENT_CALL_TIMEOUT, plugin.SHORT_LOAD_TIMEOUT)
    # a run with a small total (a budget: checks/grading/budget.py) lets time-outs take a fifth of it
    small = _Config(tmp_path / "small", run_timeout=100.0)
    (tmp_path / "small").mkdir()
    gate = _Item(small, case["AND"])
    plugin._remember_timeout(small, "Sigmoid", 10.0, "Sigmoid.forward: no answer within 10 s")
    assert plugin._limits(gate) == (10.0, 30.0)
    plugin._remember_timeout(small, "Sigmoid", 10.0, "Sigmoid.forward: no answer within 10 s")
    assert plugin._limits(gate) == (plugin.DEPENDENT_CALL_TIMEOUT, plugin.SHORT_LOAD_TIMEOUT)


@pytest.mark.parametrize("kind", ["package", "book"])
def test_points_table_per_component_adds_up_to_each_chapter(kind):
    from checks.grading.table import component_points, render_markdown

    table = component_points(kind)
    assert {chapter: sum((p for p, _ in parts.values()), Fraction(0)) for chapter, parts in table.items()} == {
        chapter: chapter_table.total for chapter, chapter_table in CHAPTERS.items()}
    assert "predict" in table[3] and "numerical_diff" in table[4]  # ch03/, ch04/ scripts in the book's layout
    assert "| 5 Backpropagation | 20 | " in render_markdown(kind)


def _stubbed_but(wrong=(), passed=()):
    """Raw records of a half-done submission: some components wrong, some done, the rest stubs."""
    raw = []
    for check, case in PAIRS:
        if case.component in wrong:
            raw.append(_raw(check, case, "wrong", f"{check.__name__} failed for {case.id}\n  compared: …"))
        elif case.component in passed:
            raw.append(_raw(check, case))
        else:
            stub = f"{case.component}: not implemented yet — book {case.section}, exercises/x.py"
            raw.append(_raw(check, case, "not_attempted", f"{case.component} raised NotImplementedError: {stub}"))
    return raw


def test_the_summary_puts_real_mistakes_first_and_names_the_next_fix():
    """Two real mistakes among many stubs: they lead the failures, the book's first one is 'next'."""
    result = _result(score_records(_stubbed_but(wrong=("Momentum", "Sigmoid"), passed=("AND", "NAND", "OR", "sigmoid")),
                                   "package"))
    summary = render_summary(result, failures=3)
    lines = summary.splitlines()
    assert lines[1].startswith("next: Sigmoid (chapter 5, book §5.") and "— wrong: check_" in lines[1]
    listed = [line.split(":")[0] for line in lines if line[:2] in ("1.", "2.", "3.")]
    assert listed == ["1. Sigmoid (next)", "2. Momentum", "3. XOR"]  # then the stubs, in the book's order
    assert "… and " in summary and "XOR" not in summary.split("… and ")[1].split(",")[0]
    # with nothing wrong, the first stub in the book's order is next
    only_stubs = _result(score_records(_stubbed_but(passed=("AND",)), "package"))
    assert render_summary(only_stubs).splitlines()[1].startswith("next: NAND (chapter 2, book §2.")


def test_an_outcome_is_named_once_in_results_json():
    result = _result(score_records(_stubbed_but(passed=("AND",)), "package"))
    outputs = [t["output"] for t in gradescope_results(result)["tests"] if t["status"] == "failed"]
    assert outputs and all(o.startswith("NOT ATTEMPTED: ") and "NOT ATTEMPTED: NOT ATTEMPTED" not in o
                           for o in outputs)
    legacy = _result(score_records([_raw(check, case, "not_attempted", "NOT ATTEMPTED: X raised …")
                                    for check, case in PAIRS[:3]], "package"))
    assert all(t["output"] == "NOT ATTEMPTED: X raised …" for t in gradescope_results(legacy)["tests"])


def test_learner_facing_text_names_no_internal_path():
    records = score_records(_all_raw({"sigmoid(large-inputs)": "wrong", "Affine": "wrong"}), "book")
    result = GradeResult(impl="book:/tmp/x", label="book:x", kind="book", records=records,
                         exact_score=sum((r.earned for r in records), Fraction(0)),
                         exact_max_score=sum((r.points for r in records), Fraction(0)))
    text = render_summary(result) + json.dumps(gradescope_results(result), ensure_ascii=False)
    assert "checks/" not in text and "/tmp" not in text


def test_a_wrong_component_is_not_blamed_on_a_prerequisite_still_a_stub():
    """A wrong Sigmoid layer cannot come from the sigmoid stub (that would raise): it is the learner's own mistake."""
    records = score_records(_stubbed_but(wrong=("Sigmoid",), passed=("AND",)), "package")
    sigmoid_layer = [r for r in records if r.component == "Sigmoid"]
    assert sigmoid_layer and not any(r.blocked_by for r in sigmoid_layer)
    assert render_summary(_result(records)).splitlines()[1].startswith("next: Sigmoid (chapter 5")
