package io.gancluster.runtime.networkservice;

import io.gancluster.proto.v1.DescribeRequest;
import io.gancluster.proto.v1.ExportStateRequest;
import io.gancluster.proto.v1.ImportStateResponse;
import io.gancluster.proto.v1.NetworkInfo;
import io.gancluster.proto.v1.NetworkStateBlob;
import io.vertx.core.Future;

/** The state RPCs both network services offer, so a client of either can be checkpointed the same way. */
public interface NetworkStateService {
  Future<NetworkStateBlob> exportState(ExportStateRequest request);

  Future<ImportStateResponse> importState(NetworkStateBlob request);

  Future<NetworkInfo> describe(DescribeRequest request);
}
