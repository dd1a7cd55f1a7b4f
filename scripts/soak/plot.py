"""A small SVG of a soak's samples.csv: RSS, open fds and lateness over time (python3 stdlib only).

    python3 scripts/soak/plot.py samples.csv soak.svg
"""

import csv
import sys

WIDTH, PANEL_HEIGHT, LEFT, RIGHT, TOP, GAP = 720, 150, 70, 20, 30, 40

PANELS = [
    ("RSS (MiB)", [("rss_kib", 1 / 1024, "#1f77b4")]),
    ("open fds / children", [("fds", 1, "#2ca02c"), ("children", 1, "#bbbbbb")]),
    ("lateness (ms): p50, p99", [("lateness_p50_ms", 1, "#ff7f0e"), ("lateness_p99_ms", 1, "#d62728")]),
]


def nice_ceiling(value):
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def render(csv_path, svg_path, title="schedd soak"):
    with open(csv_path) as handle:
        rows = list(csv.DictReader(handle))
    height = TOP + len(PANELS) * (PANEL_HEIGHT + GAP) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'font-family="sans-serif" font-size="11">',
        f'<rect width="{WIDTH}" height="{height}" fill="white"/>',
        f'<text x="{LEFT}" y="18" font-size="13" font-weight="bold">{title}</text>',
    ]
    minutes = [float(row["elapsed_s"]) / 60 for row in rows]
    span = max(minutes) if minutes else 1
    plot_width = WIDTH - LEFT - RIGHT
    for index, (label, series) in enumerate(PANELS):
        top = TOP + index * (PANEL_HEIGHT + GAP) + 10
        values = [
            float(row[column]) * scale for column, scale, _ in series for row in rows if row.get(column) not in (None, "")
        ]
        ceiling = nice_ceiling(max(values) * 1.1 if values else 1)
        out.append(f'<rect x="{LEFT}" y="{top}" width="{plot_width}" height="{PANEL_HEIGHT}" fill="none" stroke="#888"/>')
        out.append(f'<text x="{LEFT}" y="{top - 4}">{label}</text>')
        for tick in range(5):
            value = ceiling * tick / 4
            y = top + PANEL_HEIGHT - PANEL_HEIGHT * tick / 4
            out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
            if tick:
                out.append(
                    f'<line x1="{LEFT}" x2="{LEFT + plot_width}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>'
                )
        for column, scale, colour in series:
            points = []
            for minute, row in zip(minutes, rows):
                if row.get(column) in (None, ""):
                    continue
                x = LEFT + plot_width * minute / span
                y = top + PANEL_HEIGHT - PANEL_HEIGHT * float(row[column]) * scale / ceiling
                points.append(f"{x:.1f},{y:.1f}")
            if points:
                out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{" ".join(points)}"/>')
        bottom = top + PANEL_HEIGHT
        for tick in range(6):
            minute = span * tick / 5
            x = LEFT + plot_width * tick / 5
            out.append(f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle">{minute:.0f} min</text>')
    out.append("</svg>")
    with open(svg_path, "w") as handle:
        handle.write("\n".join(out) + "\n")


if __name__ == "__main__":
    render(sys.argv[1], sys.argv[2])
