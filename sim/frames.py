"""Per-element frames over a stance, as a pressure insole records them: pressure, skin shear stress
and slip state of every element at a fixed frame rate, stored under `/frames` of a run file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np

from .errors import InputError
from .kernels import stance as S

DEFAULT_FRAME_RATE_HZ = 500.0
OUT_OF_CONTACT, STICKING, SLIPPING = 0, 1, 2

# name -> (unit, meaning) of the datasets under /frames
FRAME_VARIABLES = {
    "time": ("s", "time of each frame from the start of the run"),
    "pressure": ("Pa", "pad pressure of each element"),
    "shear_stress": ("Pa", "skin shear stress of each element: the ground's traction on the skin, "
                           "ground frame x (forward), y (left)"),
    "contact_state": ("1", "0 out of contact, 1 sticking, 2 slipping"),
}


@dataclass
class Frames:
    """Element states at frame times: time (F,) s, pressure (F, E) Pa, shear (F, E, 2) Pa, state (F, E)."""

    time_s: np.ndarray
    pressure_pa: np.ndarray
    shear_pa: np.ndarray
    contact_state: np.ndarray

    @property
    def rate_hz(self) -> float:
        return 1.0 / float(self.time_s[1] - self.time_s[0]) if len(self.time_s) > 1 else float("nan")


def frame_stride(rate_hz: float, dt_s: float) -> int:
    """Steps per frame for a frame rate; the rate must lie in (0, 1/dt]."""
    if not 0.0 < rate_hz <= 1.0 / dt_s * (1 + 1e-9):
        raise InputError(f"--frame-rate {rate_hz:g}: allowed (0, {1.0 / dt_s:g}] Hz (one frame per time step "
                         f"of numerics.dt_s = {dt_s:g} s at most)")
    return max(1, int(round(1.0 / (rate_hz * dt_s))))


def frame_buffer(n_elements: int, n_steps: int, stride: int | None) -> np.ndarray:
    """The kernel's frames argument: room for every frame of n_steps, or none when stride is None."""
    if stride is None:
        return S.no_frames(n_elements)
    return np.zeros((-(-n_steps // stride), n_elements, S.N_FRAME))


def frames_from_buffer(buffer: np.ndarray, stride: int, trace: np.ndarray) -> Frames:
    """Frames of the steps in trace (T, N_TRACE), the shear as the ground's traction on the skin (-tau),
    like the GRF: summed over the elements with their areas, pressure and shear give the GRF."""
    rows = trace[::stride]
    kept = buffer[:len(rows)]
    return Frames(rows[:, S.T_TIME].copy(), kept[:, :, S.F_PRESSURE].copy(), -kept[:, :, S.F_TAU_X:S.F_TAU_Y + 1],
                  kept[:, :, S.F_CONTACT_STATE].astype(np.int8))


def write_frames(f: h5py.File, frames: Frames) -> None:
    """The /frames group: chunks of 16 frames, gzip-compressed, with its own time, element and axis
    scales (so that `xarray.open_dataset(path, group="frames")` names every dimension)."""
    group = f.create_group("frames")
    group.attrs["frame_rate_hz"] = frames.rate_hz
    n_frames, n_elements = frames.pressure_pa.shape
    group.create_dataset("time", data=frames.time_s).make_scale("time")
    group.create_dataset("element", data=np.arange(n_elements)).make_scale("element")
    group["element"].attrs.update(units="1", long_name="element index")
    group.create_dataset("plane_axis", data=np.arange(2)).make_scale("plane_axis")
    group["plane_axis"].attrs.update(units="1", long_name="ground-plane axis: 0 x forward, 1 y left")
    for name, values in (("pressure", frames.pressure_pa), ("shear_stress", frames.shear_pa),
                         ("contact_state", frames.contact_state)):
        ds = group.create_dataset(name, data=values, chunks=(min(n_frames, 16), n_elements) + values.shape[2:],
                                  compression="gzip", compression_opts=4, shuffle=True)
        ds.dims[0].attach_scale(group["time"])
        ds.dims[1].attach_scale(group["element"])
        if values.ndim == 3:
            ds.dims[2].attach_scale(group["plane_axis"])
    for name, (unit, meaning) in FRAME_VARIABLES.items():
        group[name].attrs.update(units=unit, long_name=meaning)


def read_frames(path: str | Path) -> Frames:
    """The frames of a run file written with `footsim run --frames`."""
    with h5py.File(path, "r") as f:
        if "frames" not in f:
            raise InputError(f"{path}: no frames in this run file (write it with footsim run --frames)")
        g = f["frames"]
        return Frames(g["time"][:], g["pressure"][:], g["shear_stress"][:], g["contact_state"][:])
