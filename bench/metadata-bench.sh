#!/usr/bin/env bash
# Metadata benchmark (issue 3): one million mappings in formats 1 and 2 — restore from XML, open,
# load every mapping, change 1,000 mappings and commit, then check — with the time and heap of each
# step. Uses the packaged distribution (lib/ and the format plugins in plugins/), so build it first:
#   ./mvnw install -DskipTests
#   bench/metadata-bench.sh [mappings] [max heap, default 256m]
# Each format runs twice; the second round is the one to quote (the first warms the JIT up).
set -euo pipefail
cd "$(dirname "$0")/.."
home=distribution/target/tiercache
[[ -d $home/lib && -d $home/plugins ]] || { echo "build the distribution first: ./mvnw install -DskipTests" >&2; exit 1; }
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
if ! "$java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
    for j in /usr/lib/jvm/*25*/bin/java /usr/lib/jvm/*2[6-9]*/bin/java; do
        if [[ -x $j ]]; then java=$j; break; fi
    done
fi
exec "$java" -Xmx"${2:-256m}" -XX:+UseG1GC -Dguice_bytecode_gen_option=DISABLED --sun-misc-unsafe-memory-access=allow \
    -Dlogback.configurationFile="$home/conf/logback.xml" -DTIERCACHE_LOG_LEVEL=WARN \
    -cp "$home/lib/*" bench/MetadataBench.java "$home/plugins" "${1:-1000000}"
