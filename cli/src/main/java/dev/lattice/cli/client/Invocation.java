package dev.lattice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Console;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** One run of a verb: its arguments as given, the client, and where and how to print. */
public final class Invocation {
    private final CommandSpec spec;
    private final Map<String, String> env;

    Invocation(CommandSpec spec, Map<String, String> env) {
        this.spec = spec;
        this.env = env;
    }

    public String positional(int i) {
        Object v = spec.positionalParameters().get(i).getValue();
        return v == null ? null : v.toString();
    }

    /** The value of a single-valued option, or null when not given. */
    public String option(String name) {
        OptionSpec o = spec.findOption(name);
        Object v = o == null ? null : o.getValue();
        return v == null ? null : v.toString();
    }

    @SuppressWarnings("unchecked")
    public List<String> options(String name) {
        OptionSpec o = spec.findOption(name);
        Object v = o == null ? null : o.getValue();
        return v == null ? List.of() : (List<String>) v;
    }

    public boolean flag(String name) {
        OptionSpec o = spec.findOption(name);
        return o != null && Boolean.TRUE.equals(o.getValue());
    }

    public ApiClient client() {
        return new ApiClient(ClientSettings.load(env));
    }

    public Map<String, String> env() {
        return env;
    }

    public PrintStream out() {
        return System.out;
    }

    public PrintStream err() {
        return System.err;
    }

    public Output output() {
        return Output.choose(option("--output"), terminal());
    }

    public void print(JsonNode value) {
        output().print(value, out());
    }

    /** Whether standard output is a terminal (JDK 22's Console.isTerminal where there is one; no console: not). */
    public static boolean terminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before JDK 22 a console is only given to a terminal
        }
    }
}
