package dev.lattice.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommonVerbsTest {
    @Test
    void logsFollowPrintsOnlyTheLinesAfterTheLastOneShown() {
        assertThat(CommonVerbs.lastLinesNotIn("a\nb\nc\n", "b\nc\nd\ne\n")).isEqualTo("d\ne\n");
        assertThat(CommonVerbs.lastLinesNotIn("a\nb\n", "b\n")).isEmpty();
        // The last line shown is no longer in the newest lines (more came than a poll asks for): all of them.
        assertThat(CommonVerbs.lastLinesNotIn("a\nb\n", "x\ny\n")).isEqualTo("x\ny\n");
        assertThat(CommonVerbs.lastLinesNotIn("", "x\n")).isEqualTo("x\n");
    }
}
