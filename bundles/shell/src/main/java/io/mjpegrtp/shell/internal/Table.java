package io.mjpegrtp.shell.internal;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with columns as wide as their widest cell. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... headings) {
        rows.add(headings);
    }

    void row(String... cells) {
        rows.add(cells);
    }

    @Override
    public String toString() {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i] == null ? 0 : r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                String cell = r[i] == null ? "" : r[i];
                b.append(cell);
                if (i < r.length - 1) {
                    b.append(" ".repeat(width[i] - cell.length() + 2));
                }
            }
            b.append(System.lineSeparator());
        }
        return b.toString();
    }
}
