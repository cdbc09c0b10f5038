package io.tiercache.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.spi.metrics.MetricSink;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void familiesAreGroupedWithOneHelpAndTypeEachWhateverTheReportingOrder() {
        PrometheusText t = new PrometheusText();
        MetricSink a = t.withLabels("device", "a");
        MetricSink b = t.withLabels("device", "b");
        a.counter("x_total", "Xs.", 1, "op", "read");
        a.gauge("y", "Ys.", 2);
        b.counter("x_total", "Xs.", 3, "op", "read");
        b.gauge("y", "Ys.", 4);
        assertThat(t.render()).isEqualTo("""
                # HELP x_total Xs.
                # TYPE x_total counter
                x_total{device="a",op="read"} 1
                x_total{device="b",op="read"} 3
                # HELP y Ys.
                # TYPE y gauge
                y{device="a"} 2
                y{device="b"} 4
                """);
        assertThat(Samples.parse(t.render())).containsEntry("y{device=\"b\"}", 4.0).hasSize(4);
    }

    @Test
    void labelValuesAndHelpAreEscaped() {
        PrometheusText t = new PrometheusText();
        t.gauge("g", "a \\ b\nc \"q\"", 1, "device", "we\"ird\\name\n");
        assertThat(t.render()).isEqualTo("""
                # HELP g a \\\\ b\\nc "q"
                # TYPE g gauge
                g{device="we\\"ird\\\\name\\n"} 1
                """);
    }

    @Test
    void aHistogramIsOneFamilyWithCumulativeBucketsSumAndCount() {
        PrometheusText t = new PrometheusText();
        MetricSink dev = t.withLabels("device", "a");
        dev.histogram("lat_seconds", "Latency.", new double[] {0.001, 0.5, 2}, new long[] {3, 0, 2, 1}, 4.25,
                "op", "read");
        dev.counter("n_total", "N.", 6);
        assertThat(t.render()).isEqualTo("""
                # HELP lat_seconds Latency.
                # TYPE lat_seconds histogram
                lat_seconds_bucket{device="a",op="read",le="0.001"} 3
                lat_seconds_bucket{device="a",op="read",le="0.5"} 3
                lat_seconds_bucket{device="a",op="read",le="2"} 5
                lat_seconds_bucket{device="a",op="read",le="+Inf"} 6
                lat_seconds_sum{device="a",op="read"} 4.25
                lat_seconds_count{device="a",op="read"} 6
                # HELP n_total N.
                # TYPE n_total counter
                n_total{device="a"} 6
                """);
        assertThat(Samples.parse(t.render())).containsEntry("lat_seconds_count{device=\"a\",op=\"read\"}", 6.0);
        assertThatThrownBy(() -> t.histogram("h", "h", new double[] {1}, new long[] {1}, 0))
                .hasMessageContaining("1 counts for 1 bounds");
        assertThatThrownBy(() -> t.sample(MetricSink.Kind.HISTOGRAM, "h_total", "h", 1))
                .hasMessageContaining("ends in _bucket, _sum or _count");
    }

    @Test
    void valuesAreExactIntegersOrDecimals() {
        assertThat(PrometheusText.format(0)).isEqualTo("0");
        assertThat(PrometheusText.format(4_294_967_296L * 1024)).isEqualTo("4398046511104");
        assertThat(PrometheusText.format(0.25)).isEqualTo("0.25");
        assertThat(PrometheusText.format(Double.NaN)).isEqualTo("NaN");
        assertThat(PrometheusText.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    }

    @Test
    void nothingReportedRendersNothing() {
        assertThat(new PrometheusText().render()).isEmpty();
    }

    @Test
    void malformedNamesAndMixedKindsAreRefusedNamingTheProblem() {
        PrometheusText t = new PrometheusText();
        assertThatThrownBy(() -> t.gauge("bad-name", "h", 1)).hasMessageContaining("bad metric name: bad-name");
        assertThatThrownBy(() -> t.gauge("g", "h", 1, "9x", "v")).hasMessageContaining("bad label name: 9x");
        assertThatThrownBy(() -> t.gauge("g", "h", 1, "__x", "v")).hasMessageContaining("bad label name: __x");
        assertThatThrownBy(() -> t.gauge("g", "h", 1, "odd")).hasMessageContaining("name/value pairs");
        t.gauge("m", "h", 1);
        assertThatThrownBy(() -> t.counter("m", "h", 1)).hasMessageContaining("m reported as both GAUGE and COUNTER");
        assertThat(t.render()).as("refused samples leave no family behind").isEqualTo("# HELP m h\n# TYPE m gauge\nm 1\n");
    }
}
