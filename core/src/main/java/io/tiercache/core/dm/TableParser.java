package io.tiercache.core.dm;

import io.tiercache.spi.block.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits table text into {@link TargetSpec}s the way dmsetup and the kernel do: one target per line,
 * blank lines and {@code #} comments skipped, arguments separated by white space, a backslash
 * escaping the next character (so an argument may contain a space).
 */
public final class TableParser {
    private TableParser() {}

    public static List<TargetSpec> parse(String text) throws DmException {
        List<TargetSpec> specs = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            specs.add(parseLine(line, i + 1));
        }
        return specs;
    }

    private static TargetSpec parseLine(String line, int number) throws DmException {
        List<String> words = split(line);
        if (words.size() < 3) {
            throw invalid(number);
        }
        long start = sector(words.get(0), number);
        long length = sector(words.get(1), number);
        return new TargetSpec(start, length, words.get(2), words.subList(3, words.size()));
    }

    private static long sector(String word, int number) throws DmException {
        if (word.isEmpty() || !word.chars().allMatch(Character::isDigit)) {
            throw invalid(number);
        }
        try {
            return Long.parseLong(word);
        } catch (NumberFormatException e) {
            throw invalid(number);
        }
    }

    private static DmException invalid(int number) {
        return new DmException(Errno.EINVAL, "Invalid format on line " + number + " of table");
    }

    /** dm_split_args: white space separates, a backslash escapes the character after it. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }
}
