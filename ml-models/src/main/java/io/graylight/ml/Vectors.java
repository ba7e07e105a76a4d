package io.graylight.ml;

import io.graylight.ml.store.ModelStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/** Small helpers on feature matrices. */
public final class Vectors {

    private Vectors() {}

    /** SHA-256 of the rows as little-endian doubles, row by row: the training-data hash of the metadata. */
    public static String sha256(List<double[]> rows) {
        int width = rows.isEmpty() ? 0 : rows.get(0).length;
        ByteBuffer buffer = ByteBuffer.allocate(rows.size() * width * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] row : rows) {
            for (double value : row) {
                buffer.putDouble(value);
            }
        }
        return ModelStore.sha256(buffer.array());
    }

    /** The q-quantile (0 ≤ q ≤ 1) of the values, by the nearest rank. */
    public static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
