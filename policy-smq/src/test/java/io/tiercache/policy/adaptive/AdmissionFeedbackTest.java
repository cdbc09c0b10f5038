package io.tiercache.policy.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The usefulness target: the larger of useful_percent and the last count period's hit ratio. */
class AdmissionFeedbackTest {
    @Test
    void theTargetFollowsTheHitRatioAboveUsefulPercent() {
        AdmissionFeedback f = new AdmissionFeedback();
        assertThat(f.targetPercent()).isEqualTo(50);
        f.periodEnded(230); // 90 % hits
        assertThat(f.targetPercent()).isEqualTo(90);
        f.periodEnded(64); // 25 % hits: back to the floor
        assertThat(f.targetPercent()).isEqualTo(50);
        f.setUsefulPercent(60);
        assertThat(f.targetPercent()).isEqualTo(60);
        assertThat(f.usefulPercent()).isEqualTo(60);
    }

    @Test
    void aHighTargetMakesTheSameOutcomesRaiseTheMargin() {
        AdmissionFeedback lenient = new AdmissionFeedback();
        AdmissionFeedback strict = new AdmissionFeedback();
        strict.periodEnded(230);
        for (int i = 0; i < 400; i++) {
            boolean useful = i % 3 != 0; // two in three promotions useful
            lenient.outcome(false, useful);
            strict.outcome(false, useful);
        }
        assertThat(lenient.usesMargin()).as("67 %% useful beats 50 %%").isZero();
        assertThat(strict.usesMargin()).as("but not 90 %%").isPositive();
    }

    @Test
    void theHitRateIsPerPeriod() {
        HitRate r = new HitRate();
        assertThat(r.endPeriod()).isZero();
        r.access(true);
        r.access(false);
        r.access(true);
        r.access(true);
        assertThat(r.endPeriod()).isEqualTo(192);
        r.access(false);
        assertThat(r.endPeriod()).isZero();
    }
}
