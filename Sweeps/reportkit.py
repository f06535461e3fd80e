"""Shared pieces of the report scripts (docs/sweeps.md, "Reports"): running sweeps and Pareto
classification through the `simulate` binary, and rendering one report directory atomically:
index.html (plotly, scripts inlined, works offline), front.svg and front.png (matplotlib),
summary.md and points.csv."""
import csv, html, io, json, math, os, shutil, subprocess, sys, tempfile

import matplotlib
matplotlib.use("Agg")
import matplotlib.ticker
import matplotlib.pyplot as plt
import plotly.graph_objects as go
import plotly.io as pio

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIMULATE = os.path.join(REPO, ".build", "release", "simulate")


def simulate(*args, check=True):
    p = subprocess.run([SIMULATE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and p.returncode != 0:
        sys.exit(f"simulate {' '.join(args[:3])} ... failed ({p.returncode}): {p.stderr.strip()[:2000]}")
    return p.stdout


def run_sweep(spec_text, work, name, jobs=None):
    """Writes the spec, runs it (resuming a previous partial run), returns the records."""
    os.makedirs(work, exist_ok=True)
    spec = os.path.join(work, name + ".yaml")
    with open(spec, "w") as f:
        f.write(spec_text)
    log = os.path.join(work, name + ".jsonl")
    args = ["sweep", "run", spec, "--log", log] + (["--resume"] if os.path.exists(log) else []) + (["--jobs", str(jobs)] if jobs else [])
    print(simulate(*args).strip(), file=sys.stderr)
    with open(log) as f:
        return [json.loads(line) for line in f if line.strip()]


def pareto(rows, objectives, work, name):
    """Status of each row (front / dominated / invalid) from `simulate sweep pareto`: the rows
    are written as a results log whose metrics are the row's numbers."""
    log = os.path.join(work, name + "-aggregate.jsonl")
    with open(log, "w") as f:
        for i, r in enumerate(rows):
            metrics = {k: v for k, v in r.items() if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)}
            point = {"index": i, "architecture": r.get("design", ""), "a_format": r.get("a_format", ""), "b_format": r.get("b_format", ""),
                     "set": {}, "workload": {"name": r.get("label", "")}}
            f.write(json.dumps({"key": f"{i:016x}", "index": i, "point": point, "status": "ok", "metrics": metrics}) + "\n")
    args = ["sweep", "pareto", log, "--output", "json"]
    for o in objectives:
        args += ["--objective", o]
    out = json.loads(simulate(*args))
    status = {o["index"]: o["status"] for o in out}
    for i, r in enumerate(rows):
        r["pareto"] = status[i]
    return rows


def _write(path, data, mode="w"):
    with open(path, mode) as f:
        f.write(data)


def render(out_dir, title, intro, rows, plots, columns, regenerate, notes=()):
    """One report directory, written to a temporary sibling and swapped in whole.

    plots: [(x_key, y_key, x_label, y_label, log_x)], the first is also the static figure;
    each row: label, pareto (status for the first plot's objectives), and numbers."""
    parent = os.path.dirname(os.path.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".report-", dir=parent)
    try:
        figs = []
        for (x, y, xl, yl, logx, status_key) in plots:
            fig = go.Figure()
            for status, color, symbol in [("dominated", "#9aa5b1", "circle-open"), ("front", "#d62728", "circle")]:
                pts = [r for r in rows if r.get(status_key) == status and _finite(r.get(x)) and _finite(r.get(y))]
                if not pts:
                    continue
                fig.add_trace(go.Scatter(
                    x=[r[x] for r in pts], y=[r[y] for r in pts], mode="markers", name=f"{status} ({len(pts)})",
                    marker=dict(color=color, size=10, symbol=symbol, line=dict(width=1)),
                    text=[r["label"] for r in pts], customdata=[[r.get(c[0], "") for c in columns] for r in pts],
                    hovertemplate="<b>%{text}</b><br>" + "<br>".join(f"{c[1]}: %{{customdata[{i}]}}" for i, c in enumerate(columns)) + "<extra></extra>"))
            front = sorted([r for r in rows if r.get(status_key) == "front" and _finite(r.get(x)) and _finite(r.get(y))], key=lambda r: r[x])
            if len(front) > 1:
                fig.add_trace(go.Scatter(x=[r[x] for r in front], y=[r[y] for r in front], mode="lines", name="Pareto front",
                                         line=dict(color="#d62728", dash="dot"), hoverinfo="skip"))
            fig.update_layout(title=f"{yl} vs {xl}", xaxis_title=xl, yaxis_title=yl, template="plotly_white", height=520,
                              xaxis_type="log" if logx else "linear", legend=dict(orientation="h", y=-0.2))
            figs.append(fig)
        table = ["<table id='points'><thead><tr>" + "".join(f"<th onclick='sortTable({i})'>{html.escape(c[1])}</th>" for i, c in enumerate(columns)) + "</tr></thead><tbody>"]
        for r in rows:
            table.append("<tr class='%s'>" % r.get(plots[0][5], "") + "".join(f"<td>{html.escape(_fmt(r.get(c[0], '')))}</td>" for c in columns) + "</tr>")
        table.append("</tbody></table>")
        plot_html = "".join(pio.to_html(f, include_plotlyjs=(i == 0), full_html=False, div_id=f"plot{i}") for i, f in enumerate(figs))
        page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:1200px;margin:2em auto;}} table{{border-collapse:collapse;font-size:13px}}
td,th{{border:1px solid #ccc;padding:3px 6px}} th{{cursor:pointer;background:#f3f3f3}} tr.front td{{background:#fde8e8}}
tr.invalid td{{color:#999}}</style></head><body><h1>{html.escape(title)}</h1><p>{intro}</p>
<p>Regenerate: <code>{html.escape(regenerate)}</code></p>{plot_html}<h2>All points</h2>{''.join(table)}
<ul>{''.join(f'<li>{html.escape(n)}</li>' for n in notes)}</ul>
<script>function sortTable(c){{var t=document.getElementById('points'),b=t.tBodies[0],r=Array.from(b.rows),
d=t.dataset.sort==c?-1:1;t.dataset.sort=d==1?c:'';r.sort(function(x,y){{var a=x.cells[c].innerText,z=y.cells[c].innerText,
p=parseFloat(a),q=parseFloat(z);return (isNaN(p)||isNaN(q)?a.localeCompare(z):p-q)*d;}});r.forEach(function(e){{b.appendChild(e)}});}}</script>
</body></html>"""
        _write(os.path.join(tmp, "index.html"), page)
        # The static figure: the first plot.
        x, y, xl, yl, logx, status_key = plots[0]
        figm, ax = plt.subplots(figsize=(7, 4.5))
        for status, color, marker, fill in [("dominated", "#9aa5b1", "o", "none"), ("front", "#d62728", "o", "#d62728")]:
            pts = [r for r in rows if r.get(status_key) == status and _finite(r.get(x)) and _finite(r.get(y))]
            ax.scatter([r[x] for r in pts], [r[y] for r in pts], edgecolors=color, facecolors=fill, marker=marker, label=f"{status} ({len(pts)})")
        front = sorted([r for r in rows if r.get(status_key) == "front" and _finite(r.get(x)) and _finite(r.get(y))], key=lambda r: r[x])
        ax.plot([r[x] for r in front], [r[y] for r in front], ":", color="#d62728")
        for r in front:
            ax.annotate(r["label"], (r[x], r[y]), fontsize=7, xytext=(4, 3), textcoords="offset points")
        if logx:
            ax.set_xscale("log")
            ax.xaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
            ax.xaxis.set_minor_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
            ax.tick_params(axis="x", which="minor", labelsize=7)
        ax.set_xlabel(xl)
        ax.set_ylabel(yl)
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        figm.tight_layout()
        figm.savefig(os.path.join(tmp, "front.svg"))
        figm.savefig(os.path.join(tmp, "front.png"), dpi=150)
        plt.close(figm)
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow([c[0] for c in columns])
        for r in rows:
            w.writerow([r.get(c[0], "") for c in columns])
        _write(os.path.join(tmp, "points.csv"), buf.getvalue())
        md = [f"# {title}", "", intro, "", f"Regenerate: `{regenerate}`", "", "![front](front.png)", "",
              f"Pareto front ({plots[0][3]} vs {plots[0][2]}):", "", "| " + " | ".join(c[1] for c in columns) + " |", "|" + "---|" * len(columns)]
        for r in [r for r in rows if r.get(plots[0][5]) == "front"]:
            md.append("| " + " | ".join(_fmt(r.get(c[0], "")) for c in columns) + " |")
        md += ["", f"{len(rows)} points in all (points.csv); the interactive page is index.html.", ""] + [f"- {n}" for n in notes]
        _write(os.path.join(tmp, "summary.md"), "\n".join(md) + "\n")
        meta = {"points": len(rows), "plots": [{"x": p[0], "y": p[1], "front": sum(1 for r in rows if r.get(p[5]) == "front" and _finite(r.get(p[0])) and _finite(r.get(p[1]))),
                                                 "drawn": sum(1 for r in rows if r.get(p[5]) in ("front", "dominated") and _finite(r.get(p[0])) and _finite(r.get(p[1])))} for p in plots]}
        _write(os.path.join(tmp, "report.json"), json.dumps(meta, indent=1) + "\n")
        if os.path.exists(out_dir):
            old = out_dir + ".old"
            shutil.rmtree(old, ignore_errors=True)
            os.replace(out_dir, old)
            os.replace(tmp, out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _finite(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _fmt(v):
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)
