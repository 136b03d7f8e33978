"""Collects every family × model result of the workflow into one CSV and one figure.

Reads only seqgen's --json outputs and Snakemake's benchmark files (wall seconds, peak RSS).
Run by the `summary` rule (the `snakemake` object is Snakemake's).
"""
import csv
import json
import os


def load_json(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def benchmark(path):
    """Snakemake's benchmark TSV: wall seconds (s), peak resident memory (max_rss, MB) and CPU
    seconds. Snakemake samples memory and CPU while the job runs (every 30 s after the first 30):
    a fit that ends before its first sample reads cpu_time 0 and a few MB, which is no measurement,
    so both are left empty then."""
    with open(path) as f:
        row = next(csv.DictReader(f, delimiter="\t"))
    def number(key):
        try:
            return float(row[key])
        except (KeyError, ValueError):
            return None
    cpu = number("cpu_time")
    if not cpu:
        return number("s"), None, None
    return number("s"), number("max_rss"), cpu


def precision(evaluation, separation=6):
    for row in evaluation["precision"]:
        if row["min_separation"] == separation:
            return row.get("top_L"), row.get("top_L_2"), row.get("top_L_5")
    return None, None, None


def collect(path, families, models):
    """`path(family, file)`: where that family's file is (the rule's inputs, which a storage
    provider puts elsewhere than under outdir)."""
    rows = []
    for fam in families:
        info = load_json(path(fam, "info.json"))
        for model in models:
            bench = path(fam, f"{model}.fit.benchmark.tsv")
            if not os.path.exists(bench):
                continue
            seconds, rss, cpu = benchmark(bench)
            contacts = load_json(path(fam, f"{model}.eval-contacts.json"))
            mutations = load_json(path(fam, f"{model}.eval-mutations.json"))
            pl, pl2, pl5 = precision(contacts) if contacts else (None, None, None)
            rows.append({
                "family": fam, "model": model,
                "N": info["sequences"], "L": info["columns"], "Neff": round(info["neff"], 1),
                "P@L": pl, "P@L2": pl2, "P@L5": pl5,
                "spearman": mutations["spearman"] if mutations else None,
                "scored": mutations["matched"] if mutations else None,
                "measured": mutations["measured"] if mutations else None,
                "fit_seconds": seconds, "fit_cpu_seconds": cpu, "peak_memory_mb": rss,
            })
    return rows


def fmt(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def write_csv(rows, path):
    columns = ["family", "model", "N", "L", "Neff", "P@L", "P@L2", "P@L5", "spearman", "scored", "measured",
               "fit_seconds", "fit_cpu_seconds", "peak_memory_mb"]
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for r in rows:
            w.writerow([fmt(r[c]) for c in columns])
    os.replace(tmp, path)


def plot(rows, models, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [("P@L", "contact precision, top L pairs, |i−j| ≥ 6 (models with couplings)"), ("spearman", "Spearman ρ vs deep mutational scan")]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110)
    for ax, (key, title) in zip(axes, panels):
        fams = sorted({r["family"] for r in rows if r[key] is not None})
        width = 0.8 / max(len(models), 1)
        for k, model in enumerate(models):
            values = {r["family"]: r[key] for r in rows if r["model"] == model and r[key] is not None}
            xs = [i + (k - (len(models) - 1) / 2) * width for i, f in enumerate(fams) if f in values]
            ys = [values[f] for f in fams if f in values]
            if ys:
                bars = ax.bar(xs, ys, width, label=model, color=f"C{k}")
                ax.bar_label(bars, fmt="%.2f", fontsize=7, padding=1)
        ax.set_xlim(-0.6, max(len(fams), 1) - 0.4)
        ax.set_xticks(range(len(fams)))
        ax.set_xticklabels(fams)
        ax.set_title(title, fontsize=10)
        ax.set_ylim(0, 1)
        ax.spines[["top", "right"]].set_visible(False)
        if not fams:
            ax.text(0.5, 0.5, "no families with this measurement", ha="center", va="center", transform=ax.transAxes)
    handles = [plt.Rectangle((0, 0), 1, 1, color=f"C{k}") for k in range(len(models))]
    fig.legend(handles, models, title="model", frameon=False, fontsize=8, loc="upper right")
    fig.tight_layout(rect=(0, 0, 0.92, 1))
    tmp = path + ".tmp.png"
    fig.savefig(tmp)
    os.replace(tmp, path)


def main(path, families, models, csv_path, png_path):
    rows = collect(path, families, models)
    write_csv(rows, csv_path)
    plot(rows, models, png_path)


if __name__ == "__main__" and "snakemake" not in globals():
    import sys
    outdir, csv_path, png_path = sys.argv[1], sys.argv[2], sys.argv[3]
    families = sys.argv[4].split(",")
    models = sys.argv[5].split(",")
    main(lambda fam, name: f"{outdir}/{fam}/{name}", families, models, csv_path, png_path)
else:
    # The inputs by their last two path components (FAMILY/FILE), wherever they were put.
    inputs = {"/".join(str(p).split("/")[-2:]): str(p) for p in snakemake.input}
    main(lambda fam, name: inputs.get(f"{fam}/{name}", f"{snakemake.params.outdir}/{fam}/{name}"),
         snakemake.params.families, snakemake.params.models, snakemake.output.csv, snakemake.output.png)
