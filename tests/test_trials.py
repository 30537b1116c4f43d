"""Recorded trials load into the ground frame and look like physics says they must (sim.trials).

The bundled data live in ../shared/data beside the repository; the tests that need them skip
when it is absent. Their files are pinned by sha256 so a silent change is caught.
"""

import hashlib
import warnings
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.errors import InputError
from sim.grf_metrics import grf_metrics, split_stances
from sim.trials import Trial, list_bundled_trials, read_trial, write_csv
from sim.trials._common import stance_sides_from_cop

DATA_ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "data"
needs_data = pytest.mark.skipif(
    not DATA_ROOT.is_dir(), reason=f"recorded data not found at {DATA_ROOT} (../shared/data)"
)

PINNED_SHA256 = {
    "running/alcantara2022_sub2/GRF_one_sub.csv.gz": "bf868e63a481efdecd31cf60c42cbcea0a572bf6309d85007d360faf4ebdcb97",
    "running/alcantara2022_sub2/Sub_Info_one_sub.csv": "48888f0f142395395ea1e85ce38e6dccdbc6195840fc30b694e0aa0f5843acef",
    "running/fukuchi2017_S001/RBDS001runT25forces.txt": "aeba42cd0d3e73f890a525c6d3802acb4cefada05998864a678eb643e28bf88a",
    "running/fukuchi2017_S001/RBDS001runT35.c3d": "73f7e252323f8a240e1628c991861c9574b52e6fbdc29e971806e54afd8dec02",
    "running/fukuchi2017_S001/RBDSinfo.txt": "e600b58f8108310d56221459cb99547bafb5d7a8e4c0ad8471592622bde4af0f",
    "running/fukuchi_BMC0041/RBDS0041runT252forces.txt": "8e0d5b01a3a6527888cf56ed29132b1fa181f0ed272fb11fa0574af8c2109338",
    "running/fukuchi_BMC0041/info.csv": "2edd40604f17e34cca4e73e2099faccb664a72fc0bf7c46f0658b1780bea6c44",
    "running/hamner2013_s04/run200_grf.mot": "8637631ed34f910f0542d6846c5ccdb4b7da6e698974819d6d154995c20d7141",
    "running/hamner2013_s04/run300_grf.mot": "2c4c0fb5841c9eef540cb53ae2363641cbdb7986a0e0cfb6888f27fd00415c6f",
    "running/hamner2013_s04/run400_grf.mot": "6ccdfec49439b460d09f3d2f62c6620b64549b4d138e9ae76283218d12a00fe3",
    "running/hamner2013_s04/run500_grf.mot": "41cba4897d5ccc77d5f8b6c5209d1816891c116846749fceff6812b6f78a8b52",
    "running/hamner2013_s04/subject.json": "6d1cdae753f3e6581d19c1d5671e443b4c71c6b086dbb5586d5744eaa7891d77",
    "running/rajagopal2016/grf_run.mot": "337b6288700359a87f048dab56e5344ad24e6ea75170ee48f1a53f2712ad68b4",
    "walking/baines2018_barefoot_s10/s10_TN000001.gai.gz": "c915e66f57d112aaec5df36185a84c402ecd68e235fdc5c2e97acef858db7bbf",
    "walking/baines2018_barefoot_s10/s10_TN000003.gai.gz": "8a8c7e37dd5cc2adb0576a5b6600d83e4974a62673b4b4e5c6654a45ae4d21e3",
    "walking/baines2018_barefoot_s10/s10_TN000005.gai.gz": "1ea71d99a1e015e9c6c8e09dbb0be6f47cadbd97fd5d32e434cc10765776071c",
    "walking/baines2018_barefoot_s10/s10_TN000012.gai.gz": "c7bdc1d6256b0a0d3303f7248b8f8b372f9c6fcf5a8f1d2640a264234172e6a4",
    "walking/baines2018_barefoot_s10/s10_TN000025.gai.gz": "372d72a45604a01206778dceac2d81bedb618ef485b9099d27df107070188b46",
    "walking/bmclab_gait/Gait.c3d": "6670a566ba271a2c223074a74db64dd935806f89ca0017a4a72ebf87e09892d0",
}
TRIAL_FILE_SUFFIXES = (".mot", ".c3d", "forces.txt", ".csv.gz", ".gai.gz")
CALIBRATION_FILES = {"s10_TN000025.gai.gz"}
BMC0041 = "fukuchi_BMC0041/RBDS0041runT252forces"
# Shoe length for strike indices of the Fukuchi runners (US 9-10.5 shoes).
SHOE_LENGTH_M = 0.28


@pytest.fixture(scope="module")
def bundled():
    """name -> (TrialSource, Trial) for every bundled trial, loaded once."""
    return {source.name: (source, source.load()) for source in list_bundled_trials(DATA_ROOT)}


def load(source, **options):
    return read_trial(source.path, source.format, **dict(source.options, **options))


def stance_metrics(trial, mass_kg=None, **options):
    """grf_metrics of every complete stance of a trial."""
    mass_kg = mass_kg or trial.mass_kg
    cop, tz = trial.cop_m, trial.free_moment_nm
    return [
        grf_metrics(
            trial.time_s[i0:i1], trial.grf_n[i0:i1], mass_kg, trial.height_m,
            None if cop is None else cop[i0:i1], None if tz is None else tz[i0:i1], **options,
        )
        for i0, i1 in trial.stances()
    ]


def median(metrics, key):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(np.nanmedian([m[key] for m in metrics]))


def share_with(metrics, key):
    return float(np.mean([np.isfinite(m[key]) for m in metrics]))


@needs_data
@pytest.mark.parametrize("relative_path", sorted(PINNED_SHA256))
def test_bundled_data__checksum_matches_the_pinned_value(relative_path):
    digest = hashlib.sha256((DATA_ROOT / relative_path).read_bytes()).hexdigest()
    assert digest == PINNED_SHA256[relative_path], f"{relative_path} changed"


@needs_data
def test_list_bundled_trials__names_every_trial_file_once_per_trial(bundled):
    sources = list_bundled_trials(DATA_ROOT)
    assert len(sources) == 50
    assert len({source.name for source in sources}) == len(sources)
    listed = {source.path.resolve() for source in sources}
    for folder in ("running", "walking"):
        for path in (DATA_ROOT / folder).rglob("*"):
            if path.name.endswith(TRIAL_FILE_SUFFIXES) and path.name not in CALIBRATION_FILES:
                assert path.resolve() in listed, f"{path} has no TrialSource"


@needs_data
def test_bundled_trials__load_with_consistent_shapes_and_upward_vertical_force(bundled):
    for name, (source, trial) in bundled.items():
        assert isinstance(trial, Trial)
        assert np.all(np.diff(trial.time_s) > 0), name
        assert_allclose(1.0 / np.median(np.diff(trial.time_s)), trial.fs_hz, rtol=1e-6)
        fz = trial.grf_n[:, 2]
        assert np.nanmax(fz) > 500.0, name
        # Baseline noise only: the ground never pulls the foot down.
        assert np.nanmin(fz) > -0.1 * np.nanmax(fz), name
        if source.activity != "standing":
            assert trial.stances(), name
        if "bmclab" not in name:
            assert trial.mass_kg, name


def whole_stride_mean_bw(time_s, fz_n, body_weight_n):
    """Mean vertical force over whole strides (an even number of alternating steps), in BW."""
    onsets = [i0 for i0, _ in split_stances(time_s, fz_n, 20.0)]
    last = onsets[len(onsets) - 1 - (len(onsets) - 1) % 2]
    return np.mean(fz_n[onsets[0] : last]) / body_weight_n


@needs_data
def test_running__vertical_force_averages_one_body_weight_over_whole_strides(bundled):
    # Both feet must be in the record: treadmill plates under both feet, or R + L columns.
    checked = 0
    for name, (source, trial) in bundled.items():
        if source.activity != "running" or name == BMC0041:
            continue
        fz = trial.grf_n[:, 2]
        if trial.side in ("R", "L"):
            if not name.endswith("_R"):
                continue
            fz = fz + bundled[name[:-2] + "_L"][1].grf_n[:, 2]
        mean_bw = whole_stride_mean_bw(trial.time_s, fz, trial.body_weight_n)
        # Alcantara's slopes give treadmill-normal force: BW cos(10 deg) = 0.985 BW at most.
        assert 0.9 < mean_bw < 1.1, f"{name}: {mean_bw:.3f} BW"
        checked += 1
    assert checked == 31 + 2 + 4 + 1


@needs_data
def test_fukuchi_bmc0041__treadmill_weighs_78_kg_not_the_63_kg_of_info_csv(bundled):
    # Known data problem, pinned so a corrected file shows up: averaged over whole strides the
    # force says 78 kg (BMC0044's mass in info.csv is 78.3 kg), info.csv says 63.1 kg for BMC0041.
    trial = bundled[BMC0041][1]
    assert trial.mass_kg == 63.1
    weighed_kg = whole_stride_mean_bw(trial.time_s, trial.grf_n[:, 2], 9.81)
    assert 76.0 < weighed_kg < 80.0


@needs_data
def test_stances__brake_before_they_propel(bundled):
    for name, (source, trial) in bundled.items():
        if not np.isfinite(trial.grf_n[:, 0]).all() or source.activity == "standing":
            continue
        order_ok = []
        for i0, i1 in trial.stances():
            half = (i0 + i1) // 2
            fx = trial.grf_n[:, 0]
            order_ok.append(fx[i0:half].sum() < 0 < fx[half:i1].sum() or "TN000005" in name)
        assert np.mean(order_ok) >= 0.9, name


@needs_data
def test_stances__last_as_long_as_running_and_walking_do(bundled):
    for name, (source, trial) in bundled.items():
        if source.activity == "standing":
            continue
        stance_s = median(stance_metrics(trial, mass_kg=70.0), "stance_time_s")
        low, high = (0.17, 0.38) if source.activity == "running" else (0.5, 1.0)
        if "TN000005" in name:
            low = 0.25
        assert low < stance_s < high, f"{name}: {stance_s:.3f} s"


@needs_data
def test_hamner__stance_shortens_with_speed_and_impact_is_a_shoulder(bundled):
    stance_s = []
    for run in ("run200", "run300", "run400", "run500"):
        metrics = stance_metrics(bundled[f"hamner2013_s04/{run}_grf_R"][1])
        metrics += stance_metrics(bundled[f"hamner2013_s04/{run}_grf_L"][1])
        stance_s.append(median(metrics, "stance_time_s"))
        assert share_with(metrics, "impact_peak_bw") == 0.0, run
    assert np.all(np.diff(stance_s) < 0)
    assert 0.32 < stance_s[0] < 0.38 and 0.21 < stance_s[-1] < 0.25


@needs_data
def test_free_moment__is_a_few_thousandths_of_body_weight_times_height(bundled):
    for name in ("hamner2013_s04/run300_grf_R", "hamner2013_s04/run400_grf_R", "hamner2013_s04/run500_grf_L"):
        peak = median(stance_metrics(bundled[name][1]), "peak_free_moment_bw_height")
        assert 0.002 < peak < 0.02, f"{name}: {peak:.4f}"
    # Raw treadmill data: filtered as a plate, the peak is larger than published but bounded.
    for name in ("fukuchi2017_S001/RBDS001runT35", "fukuchi_BMC0041/RBDS0041runT252forces"):
        peak = median(stance_metrics(load(bundled[name][0], lowpass_hz=30.0)), "peak_free_moment_bw_height")
        assert 0.002 < peak < 0.03, f"{name}: {peak:.4f}"


def side_cop_y(trial):
    """Median COP y (m) of the stances of each side."""
    sides = trial.meta.get("stance_sides")
    ranges = split_stances(trial.time_s, trial.grf_n[:, 2], 20.0, complete_only=False)
    cop_y = {"R": [], "L": []}
    for k, (i0, i1) in enumerate(ranges):
        side = trial.side if trial.side in ("R", "L") else sides[k]
        cop_y[side].append(np.nanmedian(trial.cop_m[i0:i1, 1]))
    return {side: np.median(values) for side, values in cop_y.items() if values}


@needs_data
def test_sides__left_foot_lands_left_of_right_foot(bundled):
    # Sides known independently of the COP: OpenSim columns, C3D foot markers, one plate per foot.
    pairs = [
        ("hamner2013_s04/run200_grf_R", "hamner2013_s04/run200_grf_L"),
        ("hamner2013_s04/run500_grf_R", "hamner2013_s04/run500_grf_L"),
        ("rajagopal2016/grf_run_R", "rajagopal2016/grf_run_L"),
        ("fukuchi2017_S001/RBDS001runT35", "fukuchi2017_S001/RBDS001runT35"),
        ("bmclab_gait/Gait_fp1", "bmclab_gait/Gait_fp0"),
    ]
    for right, left in pairs:
        right_y, left_y = side_cop_y(bundled[right][1])["R"], side_cop_y(bundled[left][1])["L"]
        assert left_y > right_y, f"{right} vs {left}"


@needs_data
def test_c3d__markers_confirm_forward_left_and_up(bundled):
    for name, heel, toe, pelvis in [
        ("fukuchi2017_S001/RBDS001runT35", "{}.Heel.Bottom", "{}.MT1", "{}.ASIS"),
        ("bmclab_gait/Gait_fp0", "{}HEE", "{}TOE", "{}ASI"),
    ]:
        markers = bundled[name][1].meta["markers_m"]
        for side in ("R", "L"):
            toe_ahead = markers[toe.format(side)][:, 0] - markers[heel.format(side)][:, 0]
            pelvis_above = markers[pelvis.format(side)][:, 2] - markers[heel.format(side)][:, 2]
            assert np.nanmedian(toe_ahead) > 0.05, f"{name} {side}: toes not ahead of heel"
            assert np.nanmedian(pelvis_above) > 0.5, f"{name} {side}: pelvis not above heel"
        left_of_right = markers[heel.format("L")][:, 1] - markers[heel.format("R")][:, 1]
        assert np.nanmedian(left_of_right) > 0.0, f"{name}: left heel not on +y"


@needs_data
def test_c3d__foot_marker_sides_agree_with_cop_alternation(bundled):
    trial = bundled["fukuchi2017_S001/RBDS001runT35"][1]
    _, cop_sides = stance_sides_from_cop(trial.time_s, trial.grf_n[:, 2], trial.cop_m[:, 1])
    marker_sides = trial.meta["stance_sides"]
    assert len(cop_sides) == len(marker_sides) > 80
    assert np.mean([a == b for a, b in zip(cop_sides, marker_sides)]) > 0.95


@needs_data
def test_c3d__side_option_keeps_one_foot(bundled):
    source, both = bundled["fukuchi2017_S001/RBDS001runT35"]
    right = load(source, side="R")
    assert right.side == "R"
    assert len(right.stances()) == pytest.approx(len(both.stances()) / 2, abs=1)
    left = load(source, side="L")
    # Each loaded sample belongs to one foot; flight-phase noise (up to 35 N here) to neither.
    right_loaded, left_loaded = (right.grf_n != 0).any(axis=1), (left.grf_n != 0).any(axis=1)
    assert not (right_loaded & left_loaded).any()
    assert (right_loaded | left_loaded)[both.grf_n[:, 2] > 100.0].all()
    assert_allclose(right.grf_n[right_loaded], both.grf_n[right_loaded])
    assert_allclose(left.grf_n[left_loaded], both.grf_n[left_loaded])


@needs_data
def test_walking__mediolateral_force_on_each_foot_points_medially(bundled):
    for name, sign in (("bmclab_gait/Gait_fp1", 1.0), ("bmclab_gait/Gait_fp0", -1.0)):
        trial = bundled[name][1]
        assert trial.side == ("R" if sign > 0 else "L")
        (i0, i1), = trial.stances()
        assert sign * np.mean(trial.grf_n[i0:i1, 1]) > 10.0, name


@needs_data
def test_alcantara__level_runs_show_impact_peaks_uphill_midfoot_runs_none(bundled):
    level, uphill = [], []
    for name, (source, trial) in bundled.items():
        if source.format != "alcantara":
            continue
        shares = trial.meta["strike_shares_percent"]
        if trial.meta["slope_deg"] == 0 and shares["rearfoot"] == 100:
            level.append(stance_metrics(trial))
        if trial.meta["slope_deg"] == 10 and shares["rearfoot"] == 0:
            uphill.append(stance_metrics(trial))
    assert len(level) == 6 and len(uphill) == 5
    for metrics in level:
        assert share_with(metrics, "impact_peak_bw") >= 0.75
        assert 1.3 < median(metrics, "impact_peak_bw") < 2.1
        assert 0.025 < median(metrics, "impact_peak_time_s") < 0.055
    for metrics in uphill:
        assert share_with(metrics, "impact_peak_bw") <= 0.1


@needs_data
def test_fukuchi__forefoot_striker_differs_from_rearfoot_striker(bundled):
    rearfoot_source, rearfoot = bundled["fukuchi_BMC0041/RBDS0041runT252forces"]
    raw = stance_metrics(rearfoot)
    assert share_with(raw, "impact_peak_bw") >= 0.8
    assert 1.6 < median(raw, "impact_peak_bw") < 2.3
    assert 0.035 < median(raw, "impact_peak_time_s") < 0.055
    filtered = stance_metrics(load(rearfoot_source, lowpass_hz=30.0), foot_length_m=SHOE_LENGTH_M)
    assert median(filtered, "strike_index") < 0.2
    for name in ("fukuchi2017_S001/RBDS001runT25forces", "fukuchi2017_S001/RBDS001runT35"):
        source, trial = bundled[name]
        assert trial.strike == "forefoot"
        # Unfiltered, the treadmill's ripple makes local maxima; as a plate filters it, none.
        filtered = stance_metrics(load(source, lowpass_hz=30.0), foot_length_m=SHOE_LENGTH_M)
        assert share_with(filtered, "impact_peak_bw") <= 0.1, name
        assert median(filtered, "strike_index") > 0.33, name


@needs_data
def test_baines__static_weight_and_heel_transient(bundled):
    static = bundled["baines2018_barefoot_s10/s10_TN000001"][1]
    assert_allclose(np.mean(static.grf_n[:, 2]), 1064.0, rtol=0.01)
    assert np.isnan(static.grf_n[:, 1]).all()
    (metrics,) = stance_metrics(bundled["baines2018_barefoot_s10/s10_TN000003"][1])
    assert 600.0 < metrics["impact_peak_bw"] * 108.5 * 9.81 < 700.0
    assert 0.008 < metrics["impact_peak_time_s"] < 0.018


@needs_data
def test_bmclab__heel_transient_of_walking(bundled):
    for name in ("bmclab_gait/Gait_fp0", "bmclab_gait/Gait_fp1"):
        (metrics,) = stance_metrics(bundled[name][1], mass_kg=1.0 / 9.81)
        assert 300.0 < metrics["impact_peak_bw"] < 450.0, name
        assert 0.005 < metrics["impact_peak_time_s"] < 0.015, name


def test_read_trial__plain_csv_reads_header_and_columns(tmp_path):
    path = tmp_path / "stance.csv"
    path.write_text(
        "# mass_kg: 70.5\n# side: R\n# strike: rearfoot\n# lab: test bench\n"
        "time_s,fx_n,fy_n,fz_n,cop_x_m,cop_y_m,tz_nm\n"
        "0.000,0,0,0,0.05,0.01,0\n0.001,-50,5,600,0.06,0.01,1.5\n0.002,20,-5,900,0.07,0.02,2.0\n"
    )
    trial = read_trial(path)
    assert (trial.mass_kg, trial.side, trial.strike, trial.meta["lab"]) == (70.5, "R", "rearfoot", "test bench")
    assert_allclose(trial.fs_hz, 1000.0)
    assert_allclose(trial.grf_n[1], [-50, 5, 600])
    assert np.isnan(trial.cop_m[0]).all() and np.isnan(trial.free_moment_nm[0])
    assert_allclose(trial.cop_m[2], [0.07, 0.02])


def test_write_csv__round_trips_a_trial(tmp_path):
    t = np.arange(300) / 1000.0
    fz = np.clip(1500.0 * np.sin(np.pi * t / 0.25), 0.0, None)
    grf = np.column_stack([-0.1 * fz, np.full_like(t, np.nan), fz])
    cop = np.column_stack([0.1 + 0.5 * t, np.full_like(t, 0.02)])
    trial = Trial("bench", t, grf, cop, 0.01 * fz, 1000.0, mass_kg=65.0, height_m=1.7, footwear="shod")
    path = tmp_path / "bench.csv"
    write_csv(trial, path)
    back = read_trial(path)
    assert (back.name, back.mass_kg, back.height_m, back.footwear) == ("bench", 65.0, 1.7, "shod")
    assert_allclose(back.time_s, t, rtol=1e-9)
    assert_allclose(back.grf_n, grf, rtol=1e-9)
    valid = fz >= 75.0
    assert_allclose(back.cop_m[valid], cop[valid], rtol=1e-9)
    assert np.isnan(back.cop_m[~valid]).all()


def write_synthetic_c3d(path, forward_sign=-1.0):
    """One force plate (Z up) and one stance whose braking force points along -forward_sign Y."""
    ezc3d = pytest.importorskip("ezc3d")
    from ezc3d import ezc3d as swig

    c3d = ezc3d.c3d()
    c3d["parameters"]["POINT"]["RATE"]["value"] = [100]
    c3d["parameters"]["POINT"]["LABELS"]["value"] = ("PELVIS",)
    c3d["parameters"]["POINT"]["UNITS"]["value"] = ("mm",)
    c3d["parameters"]["ANALOG"]["RATE"]["value"] = [1000]
    c3d["parameters"]["ANALOG"]["LABELS"]["value"] = ("Fx", "Fy", "Fz", "Mx", "My", "Mz")
    c3d["parameters"]["ANALOG"]["UNITS"]["value"] = ("N", "N", "N", "Nmm", "Nmm", "Nmm")
    points = np.zeros((4, 1, 100))
    points[2], points[3] = 1000.0, 1.0
    c3d["data"]["points"] = points
    t = np.arange(1000) / 1000.0
    stance = (t > 0.2) & (t < 0.45)
    phase = (t - 0.2) / 0.25
    analogs = np.zeros((1, 6, 1000))
    analogs[0, 1] = np.where(stance, -forward_sign * 200.0 * np.sin(2 * np.pi * phase), 0.0)
    analogs[0, 2] = np.where(stance, 1500.0 * np.sin(np.pi * phase), 0.0)
    c3d["data"]["analogs"] = analogs
    corners = np.array([[300, 250, 0], [-300, 250, 0], [-300, -250, 0], [300, -250, 0]], float)
    c3d.add_parameter("FORCE_PLATFORM", "USED", [1])
    c3d.add_parameter("FORCE_PLATFORM", "TYPE", [2])
    c3d.add_parameter("FORCE_PLATFORM", "ZERO", [0, 0])
    c3d.add_parameter("FORCE_PLATFORM", "CORNERS", corners.T[:, :, None])
    c3d.add_parameter("FORCE_PLATFORM", "ORIGIN", np.array([[0.0], [0.0], [-40.0]]))
    c3d.add_parameter("FORCE_PLATFORM", "CHANNEL", np.arange(1.0, 7.0)[:, None])
    for name in ("USED", "TYPE", "ZERO", "CHANNEL"):
        # ezc3d's add_parameter stores numbers as floats; force platforms need integers.
        parameter = c3d["parameters"]["FORCE_PLATFORM"][name]
        parameter["type"], parameter["value"] = swig.INT, np.asarray(parameter["value"]).astype(int)
    c3d.write(str(path))
    return t, analogs[0]


def test_read_c3d__finds_the_direction_of_travel_from_braking(tmp_path):
    path = tmp_path / "plate.c3d"
    t, analogs = write_synthetic_c3d(path, forward_sign=-1.0)
    trial = read_trial(path)
    assert trial.meta["lab_to_ground"] == {"x": "-Y", "y": "+X", "z": "+Z"}
    assert_allclose(trial.grf_n[:, 2], analogs[2], atol=1e-3)
    assert_allclose(trial.grf_n[:, 0], -analogs[1], atol=1e-3)
    (i0, i1), = trial.stances()
    assert trial.grf_n[i0 : (i0 + i1) // 2, 0].sum() < 0
    # No sensor moment: the force passes through the sensor origin 40 mm below the surface, so
    # the COP sits at -0.04 m * Fh / Fz from the plate centre.
    fz, fx = trial.grf_n[:, 2], trial.grf_n[:, 0]
    valid = np.isfinite(trial.cop_m[:, 0])
    assert_allclose(trial.cop_m[valid, 0], -0.04 * fx[valid] / fz[valid], atol=1e-9)
    assert_allclose(trial.cop_m[valid, 1], 0.0, atol=1e-9)


def test_read_c3d__forward_axis_option_overrides_and_is_checked(tmp_path):
    path = tmp_path / "plate.c3d"
    write_synthetic_c3d(path, forward_sign=-1.0)
    assert read_trial(path, forward_axis="+X").meta["lab_to_ground"]["x"] == "+X"
    for bad in ("+Z", "sideways"):
        with pytest.raises(InputError, match="forward_axis"):
            read_trial(path, forward_axis=bad)


def test_read_c3d__truncated_file_raises_input_error(tmp_path):
    path = tmp_path / "plate.c3d"
    write_synthetic_c3d(path)
    data = path.read_bytes()
    for size in (len(data) // 2, 300):
        truncated = tmp_path / f"truncated_{size}.c3d"
        truncated.write_bytes(data[:size])
        with pytest.raises(InputError, match=str(truncated.name)) as error:
            read_trial(truncated)
        assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    "file_name, text, options, problem",
    [
        ("missing.mot", None, {}, "no such file"),
        ("trial.xyz", "1 2 3\n", {}, "unknown trial format"),
        ("bad.csv", "time_s,fz_n,speed\n0,1,2\n", {}, "columns unknown"),
        ("bad2.csv", "time_s,fz_n\n0,1\n0.001,abc\n", {}, "malformed numeric data"),
        ("short.csv", "time_s,fz_n\n0,1,5\n", {}, "data columns"),
        ("order.csv", "time_s,fz_n\n0.1,1\n0.0,1\n", {}, "not strictly increasing"),
        ("noheader.mot", "time\tR_ground_force_vx\n0\t1\n", {}, "endheader"),
        ("cols.mot", "endheader\ntime\tL_ground_force_vx\n0\t1\n", {}, "missing columns"),
        ("forces.txt", "Time\tFx\n1\t2\n", {}, "missing columns"),
        ("trial.csv", "# mass_kg: heavy\ntime_s,fz_n\n0,1\n0.001,2\n", {}, "not a number"),
        ("trial2.csv", "time_s,fz_n\n0,1\n0.001,2\n", {"color": "red"}, "unknown option"),
        ("trial3.csv", "time_s,fz_n\n0,1\n0.001,2\n", {"lowpass_hz": 900.0}, "lowpass_hz"),
        ("GRF_x.csv.gz", None, {"index": 99, "mass_kg": 70.0}, "trials"),
    ],
)
def test_read_trial__bad_input_raises_one_line_input_error(tmp_path, file_name, text, options, problem):
    path = tmp_path / file_name
    if file_name.endswith(".gz"):
        import gzip

        with gzip.open(path, "wt") as stream:
            stream.write("1.0,1.1,1.2\n0.9,1.0,1.1\n")
    elif text is not None:
        path.write_text(text)
    with pytest.raises(InputError, match=problem) as error:
        read_trial(path, **options)
    assert file_name in str(error.value) and "\n" not in str(error.value)
