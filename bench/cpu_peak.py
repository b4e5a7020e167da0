"""The float32 FLOP peak of the CPU cores this process may use, derived from /proc/cpuinfo.

peak = cores x clock x FLOP per cycle, where FLOP per cycle =
float32 lanes of the widest vector unit x 2 (a fused multiply-add is two
FLOP) x 2 FMA pipes per core. The lanes come from the CPU flags (AVX-512:
16, AVX/AVX2: 8, else SSE: 4); AMD Zen 4 (family 25 with AVX-512) runs
512-bit instructions on 256-bit units, so it counts 8 lanes. The clock is
the highest the kernel reports (cpufreq's ``cpuinfo_max_freq``, else
``cpu MHz``); on a virtual machine that is the host's nominal clock, and
turbo above it is not counted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

FMA_PIPES = 2
"""FMA pipes per core: two on every AVX2/AVX-512 server core of the last decade."""
ZEN4_FAMILY = 25
"""AMD family 19h (Zen 3 and Zen 4): AVX-512, where present, is double-pumped on 256-bit units."""


@dataclass
class CpuPeak:
    """A FLOP peak and how it was worked out."""

    flops: float
    """float32 FLOP per second, all cores together."""
    cores: int
    ghz: float
    lanes: int
    how: str
    """One line: the figures the peak is the product of, and where they came from."""


def _first_processor(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            if fields:
                break
            continue
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def _max_clock_ghz(fields: dict[str, str]) -> tuple[float, str]:
    cpufreq = Path("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")
    try:
        return int(cpufreq.read_text()) / 1e6, "cpufreq max"
    except (OSError, ValueError):
        return float(fields.get("cpu MHz", "nan")) / 1e3, "cpuinfo 'cpu MHz'"


def cpu_peak(
    cpuinfo: str | None = None, cores: int | None = None, ghz: float | None = None
) -> CpuPeak | None:
    """Work out the float32 peak; None where /proc/cpuinfo cannot be read (not Linux).

    Parameters
    ----------
    cpuinfo : str, optional
        The text of /proc/cpuinfo (read when not given).
    cores : int, optional
        Cores to count (default: those this process may run on).
    ghz : float, optional
        Clock to count (default: the highest the kernel reports).
    """
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text()
        except OSError:
            return None
    fields = _first_processor(cpuinfo)
    flags = set(fields.get("flags", "").split())
    if cores is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if ghz is None:
        ghz, clock_source = _max_clock_ghz(fields)
    else:
        clock_source = "given"
    if "avx512f" in flags:
        lanes, unit = 16, "AVX-512"
        family = fields.get("cpu family", "")
        if fields.get("vendor_id") == "AuthenticAMD" and family == str(ZEN4_FAMILY):
            lanes, unit = 8, "AVX-512 on 256-bit units (AMD Zen 4)"
    elif "avx" in flags:
        lanes, unit = 8, "AVX2" if "avx2" in flags else "AVX"
    else:
        lanes, unit = 4, "SSE"
    fma = 2 if ("fma" in flags or "avx512f" in flags) else 1
    per_cycle = lanes * fma * FMA_PIPES
    how = (
        f"{cores} cores x {ghz:.2f} GHz ({clock_source}) x {per_cycle} FLOP/cycle "
        f"({lanes} float32 lanes, {unit}{' FMA' if fma == 2 else ''}, x{fma} x{FMA_PIPES} pipes) "
        f"on {fields.get('model name', 'an unnamed CPU')} (family {fields.get('cpu family', '?')})"
    )
    return CpuPeak(cores * ghz * 1e9 * per_cycle, cores, ghz, lanes, how)
