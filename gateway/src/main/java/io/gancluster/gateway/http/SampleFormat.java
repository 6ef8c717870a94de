package io.gancluster.gateway.http;

import io.gancluster.core.image.ImageGrid;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SampleResponse;
import io.gancluster.runtime.tensor.TensorCodec;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The representations the sampling routes answer in. All three ask the SamplingService for float32 images
 * and differ only in how they write them, so the same query gives the same pixels in each.
 */
public enum SampleFormat {
  /** One near-square grid of all images, 2× per digit, as {@code IMAGE_FORMAT_PNG_GRID}. */
  PNG("/api/v1/samples.png", "image/png") {
    @Override
    byte[] write(SampleRequest request, SampleResponse response, INDArray images) {
      return ImageGrid.png(images);
    }
  },
  /** Pixels as numbers, with shape, labels, seed and model version (SampleJson). */
  JSON("/api/v1/samples.json", "application/json") {
    @Override
    byte[] write(SampleRequest request, SampleResponse response, INDArray images) {
      return SampleJson.encode(request, response, images.data().asFloat());
    }
  },
  /** A NumPy .npy v1.0 file: float32 [count, 28, 28], the layout the Python client writes too. */
  NPY("/api/v1/samples.npy", "application/x-npy") {
    @Override
    byte[] write(SampleRequest request, SampleResponse response, INDArray images) {
      // the answer's bytes are already little-endian float32 in C order: .npy's '<f4' layout
      return NpyFile.float32(new long[] {request.getCount(), HEIGHT, WIDTH},
          response.getImages().getData().toByteArray());
    }
  };

  static final int HEIGHT = 28;
  static final int WIDTH = 28;
  private static final long[] IMAGE_SHAPE = {-1, 1, HEIGHT, WIDTH};

  private final String path;
  private final String contentType;

  SampleFormat(String path, String contentType) {
    this.path = path;
    this.contentType = contentType;
  }

  public String path() {
    return path;
  }

  public String contentType() {
    return contentType;
  }

  /**
   * The response body for {@code response}, the answer to {@code request}. CPU work: call it off the event
   * loop. Throws an unchecked exception when the answer is not count finite float32 images of 1×28×28.
   */
  public byte[] body(SampleRequest request, SampleResponse response) {
    INDArray images = TensorCodec.decode(response.getImages(), "images", IMAGE_SHAPE, request.getCount());
    if (images.size(0) != request.getCount()) {
      throw new IllegalStateException("asked for " + request.getCount() + " images, got " + images.size(0));
    }
    return write(request, response, images);
  }

  abstract byte[] write(SampleRequest request, SampleResponse response, INDArray images);
}
