package io.gancluster.runtime.networkservice;

import com.google.protobuf.ByteString;
import io.gancluster.core.compute.ComputeDevice;
import io.gancluster.core.nn.TrainableNetwork;
import io.gancluster.proto.v1.ImportStateResponse;
import io.gancluster.proto.v1.NetworkInfo;
import io.gancluster.proto.v1.NetworkStateBlob;
import java.util.Arrays;

/** The ExportState / ImportState / Describe answers shared by generator- and discriminator-service. */
public final class NetworkStateRpc {
  private NetworkStateRpc() {}

  public static NetworkStateBlob export(String role, TrainableNetwork t) {
    return NetworkStateBlob.newBuilder().setNetwork(role).setModel(t.network().model()).setUpdates(t.updates())
        .setPayload(ByteString.copyFrom(t.exportState())).build();
  }

  /** Loads a blob meant for this role (an empty role is accepted); a blob for the other network is refused. */
  public static ImportStateResponse importInto(String role, TrainableNetwork t, NetworkStateBlob blob) {
    if (!blob.getNetwork().isEmpty() && !role.equals(blob.getNetwork())) {
      throw new IllegalArgumentException("this is the " + role + "; the state is for the " + blob.getNetwork());
    }
    return ImportStateResponse.newBuilder().setUpdates(t.importState(blob.getPayload().toByteArray())).build();
  }

  public static NetworkInfo describe(String role, TrainableNetwork t) {
    return NetworkInfo.newBuilder().setNetwork(role).setModel(t.network().model())
        .setParameterCount(t.network().parameterCount()).setUpdates(t.updates()).setRecipe(t.recipe())
        .setCompute(ComputeReports.toProto(ComputeDevice.current()))
        .addAllInputShape(Arrays.stream(t.network().inputShape()).boxed().toList())
        .addAllOutputShape(Arrays.stream(t.network().outputShape()).boxed().toList())
        .build();
  }
}
