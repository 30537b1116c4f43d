"""A sweep on a SLURM/PBS cluster (docs/cluster.md), tested up to the point where a job would be
submitted: the job scripts dask-jobqueue writes, and `footsim sweep --scheduler FILE.json` against a
local Dask scheduler given by a scheduler file, as the cluster helper writes it."""

import json

import pytest

from sim.cli import main
from sim.sweeps.cluster import job_cluster, write_scheduler_file

pytest.importorskip("dask_jobqueue")

PROLOGUE = ("module load python/3.11", "source ~/footsim-venv/bin/activate")


@pytest.mark.parametrize("kind, directives", [
    ("slurm", ("#SBATCH -t 02:00:00", "#SBATCH --cpus-per-task=8", "#SBATCH -p short", "#SBATCH -A proj42")),
    ("pbs", ("#PBS -l walltime=02:00:00", "#PBS -l select=1:ncpus=8", "#PBS -q short", "#PBS -A proj42")),
])
def test_job_cluster__job_script_runs_one_single_threaded_worker_per_core(kind, directives):
    with job_cluster(kind, cores=8, memory="16GB", walltime="02:00:00", queue="short", account="proj42",
                     prologue=PROLOGUE) as cluster:
        script = cluster.job_script()
        address = cluster.scheduler_address
    for line in directives + PROLOGUE:
        assert line in script, f"{line!r} missing from\n{script}"
    worker = script.strip().splitlines()[-1]
    assert "dask_worker" in worker and address in worker
    assert "--nworkers 8" in worker and "--nthreads 1" in worker
    assert script.index(PROLOGUE[1]) < script.index(worker)  # the environment first


def test_job_cluster__unknown_kind_is_one_line_error():
    from sim.errors import InputError

    with pytest.raises(InputError, match="allowed pbs, slurm|allowed slurm, pbs"):
        job_cluster("lsf", cores=1, memory="1GB", walltime="00:10:00")


def test_sweep__scheduler_file_of_a_running_scheduler(tmp_path, capsys):
    from distributed import LocalCluster

    sweep = tmp_path / "two.toml"
    sweep.write_text('name = "two"\n[base.numerics]\ndt_s = 2e-4\nmesh_spacing_mm = 8\n'
                     '[axes]\n"strike.toe_out_deg" = [0.0, 20.0]\n')
    out = tmp_path / "two.h5"
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        path = write_scheduler_file(cluster.scheduler_address, tmp_path / "scheduler.json")
        assert json.loads(path.read_text())["address"] == cluster.scheduler_address
        assert main(["sweep", str(sweep), "--out", str(out), "--scheduler", str(path)]) == 0
    assert "2 done" in capsys.readouterr().out
