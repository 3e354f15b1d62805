import xml.etree.ElementTree as ET

from sinergi.reporting import svg


def test_bar_chart_is_valid_svg_with_a_title_and_escaped_labels():
    drawing = svg.bar_chart(
        [
            svg.Bar("Mendaftar <script>", 1200),
            svg.Bar("Lulus", 300, "25 %"),
            svg.Bar("Bekerja", None, "belum ada data tracer"),
        ],
        title="Corong & hasil",
        chart_id="c1",
    )
    root = ET.fromstring(drawing)
    assert root.tag.endswith("svg") and root.get("role") == "img"
    texts = ["".join(t.itertext()) for t in root.iter() if t.tag.endswith("}text")]
    assert "Mendaftar <script> 1.200" in texts  # escaped in the markup, the text itself intact
    assert "belum ada data tracer" in texts and "25 %" in texts
    assert " style=" not in drawing  # the CSP forbids inline styles


def test_column_chart_labels_at_most_about_six_months():
    points = [(f"2026-{m:02d}", m * 10) for m in range(1, 13)]
    root = ET.fromstring(svg.column_chart(points, title="Per bulan"))
    labels = [t.text for t in root.iter() if t.tag.endswith("text") and t.text and t.text.startswith("2026")]
    assert 2 <= len(labels) <= 7 and labels[-1] == "2026-12"
