"""bench/cpu_peak.py: the FLOP peak the training benchmark divides by, from /proc/cpuinfo text."""

from __future__ import annotations

import pytest

from bench.cpu_peak import cpu_peak


def _cpuinfo(flags: str, vendor: str = "AuthenticAMD", family: int = 26, mhz: float = 2600.0):
    block = (
        f"processor\t: {{n}}\nvendor_id\t: {vendor}\ncpu family\t: {family}\n"
        f"model name\t: Test CPU\ncpu MHz\t\t: {mhz:.3f}\nflags\t\t: {flags}\n"
    )
    return "\n".join(block.format(n=n) for n in range(2))


@pytest.mark.parametrize(
    ("flags", "vendor", "family", "lanes", "gflops"),
    [
        ("fpu sse2 avx avx2 fma avx512f avx512bw", "AuthenticAMD", 26, 16, 2 * 2.6 * 64),
        ("fpu sse2 avx avx2 fma avx512f avx512bw", "AuthenticAMD", 25, 8, 2 * 2.6 * 32),
        ("fpu sse2 avx avx2 fma avx512f", "GenuineIntel", 6, 16, 2 * 2.6 * 64),
        ("fpu sse2 avx avx2 fma", "GenuineIntel", 6, 8, 2 * 2.6 * 32),
        ("fpu sse2 avx", "GenuineIntel", 6, 8, 2 * 2.6 * 16),
        ("fpu sse2", "GenuineIntel", 6, 4, 2 * 2.6 * 8),
    ],
)
def test_peak_is_cores_times_clock_times_vector_fma_width(flags, vendor, family, lanes, gflops):
    peak = cpu_peak(_cpuinfo(flags, vendor, family), cores=2, ghz=2.6)
    assert peak.lanes == lanes and peak.cores == 2 and peak.ghz == pytest.approx(2.6)
    assert peak.flops == pytest.approx(gflops * 1e9)
    assert "2 cores x 2.60 GHz" in peak.how and "Test CPU" in peak.how


def test_peak_counts_the_cores_it_is_given_and_reads_this_machine():
    text = _cpuinfo("avx avx2 fma")
    assert cpu_peak(text, cores=4).flops == pytest.approx(2 * cpu_peak(text, cores=2).flops)
    assert cpu_peak(text, cores=2, ghz=3.0).flops == pytest.approx(2 * 3.0e9 * 32)
    here = cpu_peak()
    assert here is None or (here.flops > 0 and here.cores >= 1)
