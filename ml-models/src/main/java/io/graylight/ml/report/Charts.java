package io.graylight.ml.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG charts of the evaluation reports (JFreeChart, headless). */
public final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /** Score histograms of normal and faulty windows, relative frequency, with the threshold marked. */
    public static void scoreHistogram(Path png, String title, List<Double> normal, List<Double> faulty, double threshold)
            throws IOException {
        HistogramDataset data = new HistogramDataset();
        data.setType(HistogramType.RELATIVE_FREQUENCY);
        double min = Math.min(min(normal), min(faulty));
        double max = Math.max(max(normal), max(faulty));
        data.addSeries("normal windows (" + normal.size() + ")", toArray(normal), 50, min, max);
        if (!faulty.isEmpty()) {
            data.addSeries("windows with a fault (" + faulty.size() + ")", toArray(faulty), 50, min, max);
        }
        JFreeChart chart = ChartFactory.createHistogram(title, "Isolation Forest score", "share of windows", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.getRenderer().setSeriesPaint(0, new Color(60, 120, 200, 160));
        plot.getRenderer().setSeriesPaint(1, new Color(220, 80, 60, 160));
        ValueMarker marker = new ValueMarker(threshold, Color.BLACK, new BasicStroke(1.5f));
        marker.setLabel("threshold " + String.format(java.util.Locale.ROOT, "%.3f", threshold));
        plot.addDomainMarker(marker);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 500);
    }

    /** ROC curve from scores and 0/1 labels (1 = positive). */
    public static void roc(Path png, String title, double[] scores, int[] labels, double auc) throws IOException {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        long positives = java.util.Arrays.stream(labels).filter(l -> l == 1).count();
        long negatives = labels.length - positives;
        XYSeries curve = new XYSeries("model (AUC " + String.format(java.util.Locale.ROOT, "%.3f", auc) + ")");
        XYSeries chance = new XYSeries("chance");
        chance.add(0, 0);
        chance.add(1, 1);
        long tp = 0;
        long fp = 0;
        curve.add(0, 0);
        for (int i : order) {
            if (labels[i] == 1) {
                tp++;
            } else {
                fp++;
            }
            curve.add((double) fp / Math.max(1, negatives), (double) tp / Math.max(1, positives));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(curve);
        data.addSeries(chance);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "false positive rate", "true positive rate", data,
                PlotOrientation.VERTICAL, true, false, false);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 700, 600);
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    }
}
