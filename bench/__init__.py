"""Benchmarks (not tests): ETL throughput and query latency at scale."""
