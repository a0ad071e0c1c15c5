package io.github.tdmqhttp.emulator.model;

/** UTF-8 sizes without encoding: the 1 MB limit and MaxNumBytes count UTF-8 bytes. */
final class Utf8 {

    private Utf8() {
    }

    static int length(CharSequence text) {
        int bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
