"""Canvas positions for generated scenarios: zones spread out, firms in a disc around their zone.

Pure numpy; positions are in canvas pixels, y growing downwards.
"""
from __future__ import annotations

import math

import numpy as np

GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))
CORE = 40.0  # free radius around the zone node itself
SPACING = 14.0  # pixels between neighbouring firms in a cloud
RING_GAP = 70.0  # platforms sit this far outside their zone's firm cloud
MARGIN = 60.0  # minimum free space between two zones' discs
PX_PER_DEGREE = 110.0


def cloud_offsets(rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Offsets of the rank-th firm of a zone (a sunflower disc: even density, no overlap)."""
    rank = np.asarray(rank, dtype=float)
    radius = CORE + SPACING * np.sqrt(rank + 0.5)
    angle = rank * GOLDEN_ANGLE
    return radius * np.cos(angle), radius * np.sin(angle)


def cloud_radius(n_firms) -> np.ndarray | float:
    return CORE + SPACING * np.sqrt(np.maximum(np.asarray(n_firms, dtype=float) - 0.5, 0.0))


def firm_cloud(n_firms: int) -> tuple[np.ndarray, np.ndarray]:
    return cloud_offsets(np.arange(n_firms))


def platform_ring(n_firms: int, n_platforms: int, k: int = 0) -> tuple[float, float, float]:
    """Offset of the k-th of a zone's platforms, and the radius of the zone's whole disc."""
    ring = float(cloud_radius(n_firms)) + RING_GAP
    angle = -math.pi / 2 + 2 * math.pi * k / max(1, n_platforms)
    return ring * math.cos(angle), ring * math.sin(angle), ring + 40.0


def geographic_zones(ids: list[str], lonlat: list[tuple[float, float]],
                     radii: list[float], iterations: int = 400) -> dict[str, tuple[float, float]]:
    """Zones at their map position, then pushed apart until no two discs overlap."""
    lon = np.array([p[0] for p in lonlat], dtype=float)
    lat = np.array([p[1] for p in lonlat], dtype=float)
    xy = np.column_stack([(lon - lon.min()) * PX_PER_DEGREE * math.cos(math.radians(35)),
                          (lat.max() - lat) * PX_PER_DEGREE])
    xy = separate(xy, np.asarray(radii, dtype=float), iterations)
    xy -= xy.min(axis=0) - np.max(radii)  # keep every disc on positive coordinates
    return {z: (round(float(x), 1), round(float(y), 1)) for z, (x, y) in zip(ids, xy)}


def separate(xy: np.ndarray, radii: np.ndarray, iterations: int = 400) -> np.ndarray:
    """Push overlapping discs apart (each pair moves half the overlap), deterministically."""
    xy = xy.astype(float).copy()
    n = len(xy)
    need = radii[:, None] + radii[None, :] + MARGIN
    np.fill_diagonal(need, 0.0)
    for _ in range(iterations):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        overlap = np.where(np.eye(n, dtype=bool), 0.0, np.maximum(need - dist, 0.0))
        if not overlap.any():
            break
        xy += 0.5 * (overlap[..., None] * _directions(delta, dist)).sum(axis=1)
    return xy


def _directions(delta: np.ndarray, dist: np.ndarray) -> np.ndarray:
    """Unit vectors from j to i; coincident pairs get a fixed, opposite pair of directions."""
    i, j = np.indices(dist.shape)
    angle = (np.minimum(i, j) + 2 * np.maximum(i, j)) * 0.7
    sign = np.where(i > j, 1.0, -1.0)[..., None]
    fallback = sign * np.stack([np.cos(angle), np.sin(angle)], axis=-1)
    safe = np.maximum(dist, 1e-9)[..., None]
    return np.where(dist[..., None] > 1e-9, delta / safe, fallback)
