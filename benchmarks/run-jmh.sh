#!/usr/bin/env bash
# Builds the benchmarks jar (when missing) and runs it with short settings, plus the GC profiler for
# gc.alloc.rate.norm (bytes allocated per operation). Extra arguments go to JMH, e.g. a benchmark regex:
#   benchmarks/run-jmh.sh PacketizerBenchmark.packetize
# Needs cjpeg (libjpeg-turbo-progs): the pictures are made at setup.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f target/benchmarks.jar ]; then
  (cd .. && mvn -q -T1 -pl bundles/jpeg,bundles/rtp,benchmarks -am install -DskipTests)
fi
exec java -jar target/benchmarks.jar -wi 3 -i 5 -f 1 -w 1 -r 1 -prof gc -rf text -rff target/jmh-result.txt "$@"
