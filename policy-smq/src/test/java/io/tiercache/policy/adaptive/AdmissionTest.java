package io.tiercache.policy.adaptive;

import static io.tiercache.policy.adaptive.Admission.BY_EXTENT;
import static io.tiercache.policy.adaptive.Admission.BY_USES;
import static io.tiercache.policy.adaptive.Admission.REJECT;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The admission rules against a victim, with both margins at 0 (a fresh {@link AdmissionFeedback}). */
class AdmissionTest {
    private final AdmissionFeedback margins = new AdmissionFeedback();

    @Test
    void ownUsesMustBeatTheVictimsWhateverTheExtents() {
        assertThat(Admission.overVictim(3, 0, 2, 15, margins)).isEqualTo(BY_USES);
        assertThat(Admission.overVictim(2, 0, 2, 0, margins)).as("a tie does not churn").isEqualTo(REJECT);
        assertThat(Admission.overVictim(1, 0, 0, 0, margins)).as("one use is no evidence").isEqualTo(REJECT);
    }

    @Test
    void extentEvidenceDoesNotDisplaceABlockOfABusierExtent() {
        // a block never used, in an extent with 6 current reuses, over an unused victim:
        assertThat(Admission.overVictim(0, 6, 0, 9, margins)).as("victim's extent busier").isEqualTo(REJECT);
        assertThat(Admission.overVictim(0, 6, 0, 6, margins)).as("as busy: the counts cannot tell").isEqualTo(BY_EXTENT);
        assertThat(Admission.overVictim(0, 6, 0, 0, margins)).as("victim's extent quiet").isEqualTo(BY_EXTENT);
        assertThat(Admission.overVictim(0, 6, 6, 0, margins)).as("and still beats the victim's own uses")
                .isEqualTo(REJECT);
    }

    @Test
    void aFreeBlockTakesEitherKindOfEvidence() {
        assertThat(Admission.intoFreeBlock(2, 0, margins)).isEqualTo(BY_USES);
        assertThat(Admission.intoFreeBlock(1, 2, margins)).isEqualTo(BY_EXTENT);
        assertThat(Admission.intoFreeBlock(1, 1, margins)).isEqualTo(REJECT);
    }
}
