package io.tiercache.core.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A control request split into positional arguments, flags and valued options, checked against the
 * verb's {@link Syntax}. The CLI sends options first and {@code --} before the positionals, so
 * message words that start with a dash arrive intact; other clients may mix them as getopt allows.
 */
record Invocation(String verb, List<String> args, Set<String> flags, Map<String, String> options) {

    /**
     * What a verb accepts: positional labels (the last one repeats if {@code varargs}), how many
     * are required, and its options; {@code -v} is accepted as {@code --verbose}.
     */
    record Syntax(String synopsis, List<String> labels, int required, boolean varargs, Set<String> flags,
            Set<String> valued) {
        static Syntax of(String synopsis, int required, String... labels) {
            return new Syntax(synopsis, List.of(labels), required, false, Set.of(), Set.of());
        }

        Syntax flags(String... names) {
            return new Syntax(synopsis, labels, required, varargs, Set.of(names), valued);
        }

        Syntax valued(String... names) {
            return new Syntax(synopsis, labels, required, varargs, flags, Set.of(names));
        }

        Syntax repeatingLast() {
            return new Syntax(synopsis, labels, required, true, flags, valued);
        }
    }

    /** A request that does not fit the verb's syntax; rendered as picocli would (exit 2). */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    Optional<String> arg(int index) {
        return index < args.size() ? Optional.of(args.get(index)) : Optional.empty();
    }

    static Invocation parse(String verb, Syntax syntax, List<String> words) throws UsageException {
        List<String> args = new ArrayList<>();
        Set<String> flags = new HashSet<>();
        Map<String, String> options = new HashMap<>();
        boolean optionsEnded = false;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (!optionsEnded && w.equals("--")) {
                optionsEnded = true;
            } else if (!optionsEnded && isOption(w)) {
                int eq = w.indexOf('=');
                String key = eq > 0 ? w.substring(0, eq) : w;
                if (syntax.valued().contains(key)) {
                    if (eq < 0 && i + 1 >= words.size()) {
                        throw new UsageException("Missing required parameter for option '" + key + "'");
                    }
                    options.put(key, eq > 0 ? w.substring(eq + 1) : words.get(++i));
                } else if (eq < 0 && syntax.flags().contains(canonical(w))) {
                    flags.add(canonical(w));
                } else {
                    throw new UsageException("Unknown option: '" + w + "'");
                }
            } else {
                args.add(w);
            }
        }
        checkCount(syntax, args);
        return new Invocation(verb, List.copyOf(args), Set.copyOf(flags), Map.copyOf(options));
    }

    private static void checkCount(Syntax syntax, List<String> args) throws UsageException {
        if (args.size() < syntax.required()) {
            throw new UsageException("Missing required parameter: '" + syntax.labels().get(args.size()) + "'");
        }
        if (!syntax.varargs() && args.size() > syntax.labels().size()) {
            int extra = syntax.labels().size();
            throw new UsageException("Unmatched argument at index " + extra + ": '" + args.get(extra) + "'");
        }
    }

    /** A dash word that is not a (negative) number; numbers are left for the argument checks. */
    private static boolean isOption(String w) {
        return w.length() > 1 && w.startsWith("-") && !w.substring(1).chars().allMatch(Character::isDigit);
    }

    private static String canonical(String flag) {
        return flag.equals("-v") ? "--verbose" : flag;
    }
}
