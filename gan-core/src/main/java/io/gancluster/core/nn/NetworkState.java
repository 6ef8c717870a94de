package io.gancluster.core.nn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network's parameters, buffers and optimizer state as bytes: a zip of ND4J-serialised arrays
 * ({@code param/NAME}, {@code adam/NAME}, and for a generator with a weight average {@code ema/NAME}) plus
 * {@code meta.properties}. This is what crosses the wire in Export/ImportState and what a checkpoint
 * stores per network.
 */
public final class NetworkState {
  public static final int FORMAT_VERSION = 1;

  private NetworkState() {}

  public static byte[] export(Network network, AdamOptimizer optimizer) {
    return export(network, optimizer, Map.of());
  }

  /** As {@link #export(Network, AdamOptimizer)}, with averaged weights stored beside the live ones. */
  public static byte[] export(Network network, AdamOptimizer optimizer, Map<String, INDArray> averages) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      Properties meta = new Properties();
      meta.setProperty("format", Integer.toString(FORMAT_VERSION));
      meta.setProperty("model", network.model());
      meta.setProperty("updates", Long.toString(optimizer.updates()));
      zip.putNextEntry(new ZipEntry("meta.properties"));
      meta.store(zip, "gan-cluster network state");
      for (Map.Entry<String, INDArray> e : network.state().entrySet()) {
        writeArray(zip, "param/" + e.getKey(), e.getValue());
      }
      for (Map.Entry<String, INDArray> e : optimizer.state().entrySet()) {
        writeArray(zip, "adam/" + e.getKey(), e.getValue());
      }
      for (Map.Entry<String, INDArray> e : averages.entrySet()) {
        writeArray(zip, "ema/" + e.getKey(), e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Loads state into a network of the same model; everything is checked before anything is
   * changed, so a bad blob leaves the network as it was.
   *
   * @throws IllegalArgumentException naming what does not fit
   */
  public static long restore(byte[] blob, Network network, AdamOptimizer optimizer) {
    Properties meta = new Properties();
    Map<String, INDArray> params = new LinkedHashMap<>();
    Map<String, INDArray> adam = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(blob))) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        String name = entry.getName();
        if (name.equals("meta.properties")) {
          meta.load(zip);
        } else if (name.startsWith("param/")) {
          params.put(name.substring(6), Nd4j.read(new DataInputStream(zip)));
        } else if (name.startsWith("adam/")) {
          adam.put(name.substring(5), Nd4j.read(new DataInputStream(zip)));
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("network state is not readable: " + e.getMessage(), e);
    }
    if (!Integer.toString(FORMAT_VERSION).equals(meta.getProperty("format"))) {
      throw new IllegalArgumentException("network state has format version " + meta.getProperty("format")
          + ", this build reads version " + FORMAT_VERSION);
    }
    if (!network.model().equals(meta.getProperty("model"))) {
      throw new IllegalArgumentException("network state is for model '" + meta.getProperty("model")
          + "', this service runs '" + network.model() + "'");
    }
    Map<String, INDArray> live = network.state();
    for (Map.Entry<String, INDArray> e : live.entrySet()) {
      INDArray saved = params.get(e.getKey());
      if (saved == null || !Arrays.equals(saved.shape(), e.getValue().shape())) {
        throw new IllegalArgumentException("network state: parameter " + e.getKey() + " is missing or has shape "
            + (saved == null ? "none" : Arrays.toString(saved.shape())) + ", expected "
            + Arrays.toString(e.getValue().shape()));
      }
    }
    long updates;
    try {
      updates = Long.parseLong(meta.getProperty("updates", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("network state: bad update count", e);
    }
    optimizer.restore(adam, updates);
    for (Map.Entry<String, INDArray> e : live.entrySet()) {
      e.getValue().assign(params.get(e.getKey()).castTo(e.getValue().dataType()));
    }
    return updates;
  }

  /** The optimizer update count a blob was exported at (its header only is read). */
  public static long updates(byte[] blob) {
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(blob))) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        if (entry.getName().equals("meta.properties")) {
          Properties meta = new Properties();
          meta.load(zip);
          return Long.parseLong(meta.getProperty("updates", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      throw new IllegalArgumentException("network state is not readable: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("network state has no meta.properties");
  }

  /** The parameter and buffer arrays a blob holds, by name (for comparisons and inspection). */
  public static Map<String, INDArray> parameters(byte[] blob) {
    return entries(blob, "param/");
  }

  /** The averaged weights a blob holds, by name; empty if it has none. */
  public static Map<String, INDArray> averages(byte[] blob) {
    return entries(blob, "ema/");
  }

  private static Map<String, INDArray> entries(byte[] blob, String prefix) {
    Map<String, INDArray> params = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(blob))) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        if (entry.getName().startsWith(prefix)) {
          params.put(entry.getName().substring(prefix.length()), Nd4j.read(new DataInputStream(zip)));
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("network state is not readable: " + e.getMessage(), e);
    }
    return params;
  }

  private static void writeArray(ZipOutputStream zip, String name, INDArray array) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    DataOutputStream out = new DataOutputStream(zip);
    Nd4j.write(array, out);
    out.flush();
    zip.closeEntry();
  }
}
