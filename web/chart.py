"""An authority's judgements over time as an SVG line chart, drawn on the server (no script, no
inline style: it passes the pages' Content-Security-Policy). Report text never reaches it: only
dates, grades and fixed labels, and those are escaped."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from qa.ofsted.metadata import GRADES

LEVELS = tuple(reversed(GRADES))  # bottom to top
LABELS = {"outstanding": "Outstanding", "good": "Good", "requires improvement": "Requires improvement",
          "inadequate": "Inadequate"}
# Okabe and Ito's colours, told apart with most kinds of colour blindness; each series also has
# its own marker dash.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2")
WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 150, 20, 20, 110
# Room between the axis ends and the first and last inspection, for their markers and labels.
INSET = 36
# Between the markers (4.5 wide each side) of one inspection's judgements.
SERIES_GAP = 10


def grades_chart(points: list[tuple[str, dict[str, str]]], judgements: dict[str, str]) -> Markup:
    """`points` are (date, {judgement: grade}) per inspection, oldest first; `judgements` names the
    series (key: label). An empty chart says that no inspection has grades."""
    graded = [(day, grades) for day, grades in points if grades]
    parts = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-labelledby="chart-title"><title id="chart-title">Judgements over time</title>']
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    for level, name in enumerate(LEVELS):
        y = TOP + plot_h - level * plot_h / (len(LEVELS) - 1)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12">'
                     f'{escape(LABELS[name])}</text>')
    if not graded:
        parts.append(f'<text x="{LEFT + plot_w / 2}" y="{TOP + plot_h / 2}" text-anchor="middle" font-size="14">'
                     'No graded inspection</text></svg>')
        return Markup("".join(parts))
    days = [dt.date.fromisoformat(day).toordinal() for day, _ in graded]
    first, last = min(days), max(days)
    span = max(last - first, 1)

    def x_of(ordinal: int) -> float:
        inner = plot_w - 2 * INSET
        return LEFT + INSET + (inner / 2 if last == first else (ordinal - first) / span * inner)

    for ordinal, (day, _) in zip(days, graded, strict=True):
        parts.append(f'<text x="{x_of(ordinal):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle" '
                     f'font-size="11">{escape(day[:7])}</text>')
    for n, (key, label) in enumerate(judgements.items()):
        colour, dash = COLOURS[n % len(COLOURS)], DASHES[n % len(DASHES)]
        # An offset per series of more than a marker's width, so that equal grades sit side by side
        # instead of on top of each other.
        shift = (n - (len(judgements) - 1) / 2) * SERIES_GAP
        series = [(x_of(ordinal) + shift, TOP + plot_h - LEVELS.index(grades[key]) * plot_h / (len(LEVELS) - 1),
                   day, grades[key]) for ordinal, (day, grades) in zip(days, graded, strict=True)
                  if grades.get(key) in LEVELS]
        if len(series) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in series)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"'
                         + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        for x, y, day, grade in series:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}">'
                         f'<title>{escape(label)}, {escape(day)}: {escape(grade)}</title></circle>')
        legend_x = LEFT + (n % 2) * 300
        legend_y = HEIGHT - BOTTOM + 45 + (n // 2) * 20
        parts.append(f'<line x1="{legend_x}" y1="{legend_y - 4}" x2="{legend_x + 24}" y2="{legend_y - 4}" '
                     f'stroke="{colour}" stroke-width="3"' + (f' stroke-dasharray="{dash}"' if dash else "") + "/>"
                     f'<text x="{legend_x + 30}" y="{legend_y}" font-size="12">{escape(label.capitalize())}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
