package dev.lattice.apps.instances;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.api.apps.Param;
import dev.lattice.api.apps.ParamType;
import dev.lattice.core.LatticeException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsTest {
    private static final List<Param> DECLARED = List.of(new Param("target", ParamType.NUMBER, 21),
            new Param("steps", ParamType.INTEGER, null), new Param("eco", ParamType.BOOLEAN, true));

    @Test
    void fillsDefaultsAndKeepsGivenValuesTyped() {
        Map<String, Object> out = Params.check(DECLARED, Map.of("steps", 4, "target", 19.5));
        assertThat(out).containsExactly(Map.entry("target", 19.5), Map.entry("steps", 4L), Map.entry("eco", true));
    }

    @Test
    void refusesAnUnknownParamNamingIt() {
        assertThatThrownBy(() -> Params.check(DECLARED, Map.of("steps", 1, "colour", "red")))
                .isInstanceOf(LatticeException.class).hasMessageContaining("params.colour").hasMessageContaining("target, steps, eco");
    }

    @Test
    void refusesAValueOfTheWrongType() {
        assertThatThrownBy(() -> Params.check(DECLARED, Map.of("steps", 2.5))).hasMessageContaining("params.steps: 2.5 is not an integer");
        assertThatThrownBy(() -> Params.check(DECLARED, Map.of("steps", 2, "eco", "yes"))).hasMessageContaining("params.eco: 'yes' is not a boolean");
    }

    @Test
    void refusesAMissingParamWithoutDefault() {
        assertThatThrownBy(() -> Params.check(DECLARED, null)).hasMessageContaining("params.steps: is required");
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("steps", null);
        assertThatThrownBy(() -> Params.check(DECLARED, withNull)).hasMessageContaining("params.steps: is required");
    }
}
