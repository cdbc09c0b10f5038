package io.tiercache.core.dm;

/** What {@code dmsetup info} shows about a device. */
public record DeviceInfo(String name, boolean suspended, boolean live, boolean inactive, int openCount,
        long eventNr, int targets, long sizeSectors) {

    /** {@code LIVE}, {@code INACTIVE}, {@code LIVE & INACTIVE} or {@code None}. */
    public String tablesPresent() {
        if (live && inactive) {
            return "LIVE & INACTIVE";
        }
        return live ? "LIVE" : inactive ? "INACTIVE" : "None";
    }
}
