"""Time the rendering of every item page in one process: CPU milliseconds a page, best of rounds.

A whole build's time on this machine drifts by up to 20 % within an hour, and a build spreads
its rendering over worker processes, so a change to the templates or their filters that saves
a tenth of a page's rendering is lost in the noise of ``bench.phases``. This reads a corpus
once, as the preview does (:class:`ratusha.preview.site.Site`, nothing written), then renders
each item's page from memory, as ``ContentModelGenerator`` does, ``--rounds`` times, and prints
the CPU time (``time.process_time``) of each round. The first round also computes what pages
memoise (summaries, URLs); the best round is the figure to compare, between runs alternated
on the same corpus.

Usage: python -m bench.render CORPUS [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from bench.corpus import BUILD_TIME

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Load CORPUS and print the CPU time of rendering its item pages, round by round."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a corpus folder written by bench.corpus (its ratusha/ inside)")
    parser.add_argument("--rounds", type=int, default=5, help="how many times to render every page (default 5)")
    args = parser.parse_args()
    content = (args.corpus / "ratusha").resolve()
    os.environ["RATUSHA_MUNICIPALITY"] = str(content / "municipality.yml")
    os.chdir(ROOT)
    from ratusha.preview.site import Site, build_settings  # noqa: PLC0415 (after the environment is set)

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        settings = build_settings(
            ROOT / "pelicanconf.py",
            content,
            folder / "output",
            folder / "cache",
            RATUSHA_WORKERS=1,
            RATUSHA_BUILD_TIME=BUILD_TIME,
        )
        site = Site(settings)
        site.load(write=False, output=folder / "staging")
        generator = site.content_model
        items = [item for published in generator.published.values() for item in published]
        best = float("inf")
        for number in range(args.rounds):
            started = time.process_time()
            for item in items:
                context = dict(site.context)
                context.update(
                    item=item,
                    output_file=item.save_as,
                    page_name=os.path.splitext(item.save_as)[0],
                    url=item.url,
                )  # and the context's localsiteurl, which Pelican's writer keeps
                generator.get_template(item.template).render(context)
            spent = time.process_time() - started
            best = min(best, spent)
            print(f"round {number + 1}: {spent:.2f} s CPU, {spent / len(items) * 1000:.3f} ms a page", flush=True)
    print(f"{len(items)} item pages, best round: {best / len(items) * 1000:.3f} ms a page")


if __name__ == "__main__":
    main()
