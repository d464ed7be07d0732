"""Colour-vision deficiency simulation (Machado, Oliveira & Fernandes 2009, severity 1.0:
the matrices of their paper's table, applied to linear RGB) and the CIE76 colour distance."""
from __future__ import annotations

import numpy as np

MACHADO_2009 = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, -0.691367, 1.724635)),
}


def to_linear(srgb: np.ndarray) -> np.ndarray:
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def hex_rgb(colour: str) -> np.ndarray:
    colour = colour.lstrip("#")
    return np.array([int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)])


def simulate(colour: str, kind: str) -> np.ndarray:
    """The linear RGB a viewer with that deficiency sees for an sRGB colour."""
    return np.clip(np.asarray(MACHADO_2009[kind]) @ to_linear(hex_rgb(colour)), 0.0, 1.0)


def lab(linear: np.ndarray) -> np.ndarray:
    """CIE L*a*b* (D65) of a linear RGB colour."""
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ linear
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e76(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(lab(a) - lab(b)))
