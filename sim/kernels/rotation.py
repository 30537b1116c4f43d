"""Unit quaternions (w, x, y, z) and rotation matrices, compiled; rotation vectors in rad; unrolled
3x3 products and solves (at this size a BLAS or LAPACK call costs more than the arithmetic)."""

import numpy as np

from ..config import jit


@jit
def quat_to_matrix(q, out):
    """Rotation matrix of the unit quaternion q (body-to-ground), written into out (3,3)."""
    w, x, y, z = q[0], q[1], q[2], q[3]
    out[0, 0] = 1 - 2 * (y * y + z * z)
    out[0, 1] = 2 * (x * y - w * z)
    out[0, 2] = 2 * (x * z + w * y)
    out[1, 0] = 2 * (x * y + w * z)
    out[1, 1] = 1 - 2 * (x * x + z * z)
    out[1, 2] = 2 * (y * z - w * x)
    out[2, 0] = 2 * (x * z - w * y)
    out[2, 1] = 2 * (y * z + w * x)
    out[2, 2] = 1 - 2 * (x * x + y * y)


@jit
def rotate_quat(q, omega, dt):
    """q <- exp(omega dt / 2) * q for a ground-frame angular velocity omega (rad/s); renormalised."""
    angle = np.sqrt(omega[0] ** 2 + omega[1] ** 2 + omega[2] ** 2) * dt
    if angle == 0.0:
        return
    s = np.sin(angle / 2) / (angle / dt)
    dw, dx, dy, dz = np.cos(angle / 2), omega[0] * s, omega[1] * s, omega[2] * s
    w, x, y, z = q[0], q[1], q[2], q[3]
    q[0] = dw * w - dx * x - dy * y - dz * z
    q[1] = dw * x + dx * w + dy * z - dz * y
    q[2] = dw * y - dx * z + dy * w + dz * x
    q[3] = dw * z + dx * y - dy * x + dz * w
    n = np.sqrt(q[0] ** 2 + q[1] ** 2 + q[2] ** 2 + q[3] ** 2)
    for k in range(4):
        q[k] /= n


@jit
def rotation_vector(r):
    """Rotation vector (axis x angle, rad) of the rotation matrix r (3,3)."""
    cos_angle = min(1.0, max(-1.0, (r[0, 0] + r[1, 1] + r[2, 2] - 1.0) / 2.0))
    angle = np.arccos(cos_angle)
    v = np.array([r[2, 1] - r[1, 2], r[0, 2] - r[2, 0], r[1, 0] - r[0, 1]])
    if angle < 1e-9:
        return v / 2.0
    return v * (angle / (2.0 * np.sin(angle)))


@jit
def align_z_to(d, psi, out):
    """out = R_align(z -> d) @ Rz(psi): a frame whose z axis is the unit vector d, yawed by psi."""
    c, s = np.cos(psi), np.sin(psi)
    rz = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    # Rodrigues for the minimal rotation taking z to d (d never points straight down here)
    kx, ky, kz = -d[1], d[0], 0.0
    cos_t = d[2]
    f = 1.0 / (1.0 + cos_t)
    ra = np.array([
        [cos_t + kx * kx * f, kx * ky * f - kz, ky],
        [kx * ky * f + kz, cos_t + ky * ky * f, -kx],
        [-ky, kx, cos_t],
    ])
    out[:, :] = ra @ rz


def euler_to_quat(yaw, pitch, roll):
    """Quaternion of Rz(yaw) Ry(pitch) Rx(roll) (rad)."""
    cy, sy = np.cos(yaw / 2), np.sin(yaw / 2)
    cp, sp = np.cos(pitch / 2), np.sin(pitch / 2)
    cr, sr = np.cos(roll / 2), np.sin(roll / 2)
    return np.array([
        cy * cp * cr + sy * sp * sr,
        cy * cp * sr - sy * sp * cr,
        cy * sp * cr + sy * cp * sr,
        sy * cp * cr - cy * sp * sr,
    ])


@jit
def axis_angle_matrix(axis, angle, out):
    """out = rotation by `angle` (rad) about the unit vector `axis` (Rodrigues)."""
    c, s = np.cos(angle), np.sin(angle)
    x, y, z = axis[0], axis[1], axis[2]
    k = 1.0 - c
    out[0, 0] = c + x * x * k
    out[0, 1] = x * y * k - z * s
    out[0, 2] = x * z * k + y * s
    out[1, 0] = y * x * k + z * s
    out[1, 1] = c + y * y * k
    out[1, 2] = y * z * k - x * s
    out[2, 0] = z * x * k - y * s
    out[2, 1] = z * y * k + x * s
    out[2, 2] = c + z * z * k


@jit
def mat3(a, b):
    """a @ b for (3,3) matrices, unrolled: BLAS costs more than the product at this size."""
    c = np.empty((3, 3))
    for i in range(3):
        for j in range(3):
            c[i, j] = a[i, 0] * b[0, j] + a[i, 1] * b[1, j] + a[i, 2] * b[2, j]
    return c


@jit
def vec3(a, v):
    """a @ v for a (3,3) matrix and a 3-vector, unrolled."""
    return np.array([a[0, 0] * v[0] + a[0, 1] * v[1] + a[0, 2] * v[2],
                     a[1, 0] * v[0] + a[1, 1] * v[1] + a[1, 2] * v[2],
                     a[2, 0] * v[0] + a[2, 1] * v[1] + a[2, 2] * v[2]])


@jit
def dot3(u, v):
    """u . v for 3-vectors, unrolled."""
    return u[0] * v[0] + u[1] * v[1] + u[2] * v[2]


@jit
def solve3(a, b):
    """x with a @ x = b for a (3,3) matrix and a 3-vector, by cofactors (Cramer's rule)."""
    c00 = a[1, 1] * a[2, 2] - a[1, 2] * a[2, 1]
    c01 = a[1, 2] * a[2, 0] - a[1, 0] * a[2, 2]
    c02 = a[1, 0] * a[2, 1] - a[1, 1] * a[2, 0]
    inv_det = 1.0 / (a[0, 0] * c00 + a[0, 1] * c01 + a[0, 2] * c02)
    return np.array([
        (c00 * b[0] + (a[0, 2] * a[2, 1] - a[0, 1] * a[2, 2]) * b[1] + (a[0, 1] * a[1, 2] - a[0, 2] * a[1, 1]) * b[2]) * inv_det,
        (c01 * b[0] + (a[0, 0] * a[2, 2] - a[0, 2] * a[2, 0]) * b[1] + (a[0, 2] * a[1, 0] - a[0, 0] * a[1, 2]) * b[2]) * inv_det,
        (c02 * b[0] + (a[0, 1] * a[2, 0] - a[0, 0] * a[2, 1]) * b[1] + (a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0]) * b[2]) * inv_det,
    ])
