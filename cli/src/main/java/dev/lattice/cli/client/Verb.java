package dev.lattice.cli.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * One verb of a noun ({@code lattice models deploy}): its arguments, declared as data, and what it
 * does with them. Built into a picocli command (help, usage errors with exit 2, completion).
 */
public final class Verb {
    /** What a verb does; returns the exit status. */
    @FunctionalInterface
    public interface Action {
        int run(Invocation in) throws Exception;
    }

    private final String name;
    private final String description;
    private final List<String[]> positionals = new ArrayList<>();
    private final List<OptionSpec.Builder> options = new ArrayList<>();
    private Action action;

    private Verb(String name, String description) {
        this.name = name;
        this.description = description;
    }

    public static Verb of(String name, String description) {
        return new Verb(name, description);
    }

    public String name() {
        return name;
    }

    /** A required positional argument. */
    public Verb arg(String label, String description) {
        positionals.add(new String[] {label, description});
        return this;
    }

    /** An option taking one value. */
    public Verb option(String names, String label, String description) {
        options.add(OptionSpec.builder(names.split(",")).paramLabel(label).type(String.class).description(description));
        return this;
    }

    /** An option that may be given many times ({@code --bind a=b --bind c=d}). */
    public Verb repeated(String names, String label, String description) {
        options.add(OptionSpec.builder(names.split(",")).paramLabel(label).type(List.class).auxiliaryTypes(String.class)
                .description(description));
        return this;
    }

    /** An on/off option. */
    public Verb flag(String names, String description) {
        options.add(OptionSpec.builder(names.split(",")).arity("0").type(boolean.class).description(description));
        return this;
    }

    public Verb does(Action action) {
        this.action = action;
        return this;
    }

    static OptionSpec helpOption() {
        return OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help and exit.").build();
    }

    CommandLine command(Map<String, String> env) {
        CommandSpec[] self = new CommandSpec[1];
        Callable<Integer> run = () -> action.run(new Invocation(self[0], env));
        CommandSpec spec = CommandSpec.wrapWithoutInspection(run);
        self[0] = spec;
        spec.name(name);
        // Help only: a verb's own --version (models deploy) must not clash with picocli's standard one.
        spec.addOption(helpOption());
        spec.usageMessage().description(description);
        for (String[] p : positionals) {
            spec.addPositional(PositionalParamSpec.builder().paramLabel(p[0]).type(String.class).arity("1").description(p[1]).build());
        }
        for (OptionSpec.Builder o : options) spec.addOption(o.build());
        spec.addOption(OptionSpec.builder("-o", "--output").paramLabel("FORMAT").type(String.class)
                .description("table, json or yaml (default: table on a terminal, json otherwise)").build());
        return new CommandLine(spec);
    }
}
