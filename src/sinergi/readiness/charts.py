"""A radar chart of dimension scores as SVG geometry (pure: numbers in, coordinates out).

The template draws it; every chart is accompanied by a table of the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class RadarAxis:
    label: str
    value: float
    end: tuple[float, float]  # where the axis line ends (the scale's maximum)
    point: tuple[float, float]  # the value on the axis
    label_at: tuple[float, float]
    anchor: str  # text-anchor for the label


@dataclass(frozen=True)
class Radar:
    size: int
    axes: list[RadarAxis]
    polygon: str  # "x,y x,y ..." of the values
    rings: list[str]  # one polygon per scale level, for the grid

    @property
    def view_box(self) -> str:
        """Wider than the chart itself so long labels on the left and right are never clipped."""
        margin = self.size // 4
        return f"{-margin} 0 {self.size + 2 * margin} {self.size}"


def radar(values: list[tuple[str, float]], *, maximum: float = 5, size: int = 420) -> Radar:
    centre = size / 2
    radius = size / 2 - 105  # room for labels as long as "Smart Environment"
    count = max(len(values), 3)

    def at(index: int, fraction: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        return (
            round(centre + math.cos(angle) * radius * fraction, 1),
            round(centre + math.sin(angle) * radius * fraction, 1),
        )

    axes = []
    for index, (label, value) in enumerate(values):
        x, _y = at(index, 1.12)
        anchor = "middle" if abs(x - centre) < 5 else ("start" if x > centre else "end")
        axes.append(
            RadarAxis(
                label, value, at(index, 1), at(index, min(value, maximum) / maximum), at(index, 1.18), anchor
            )
        )
    polygon = " ".join(f"{x},{y}" for x, y in (axis.point for axis in axes))
    rings = [
        " ".join(f"{x},{y}" for x, y in (at(i, level / maximum) for i in range(len(values))))
        for level in range(1, int(maximum) + 1)
    ]
    return Radar(size, axes, polygon, rings)
