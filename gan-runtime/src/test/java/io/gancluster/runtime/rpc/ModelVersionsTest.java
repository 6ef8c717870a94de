package io.gancluster.runtime.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;

class ModelVersionsTest {
  @Test
  void theHeldVersionReadsBackFromARefusalAsItTravelsThroughClientsAndGateways() {
    var refusal = ModelVersions.notHeld("run/checkpoint-000000100", "run/checkpoint-000000200+3-updates");
    assertThat(refusal.status()).isEqualTo(GrpcStatus.FAILED_PRECONDITION);
    assertThat(ModelVersions.heldIn(refusal.message())).isEqualTo("run/checkpoint-000000200+3-updates");
    String relayed = "FAILED_PRECONDITION: " + refusal.message() + " (from 127.0.0.1:9101)";
    assertThat(ModelVersions.heldIn(relayed)).isEqualTo("run/checkpoint-000000200+3-updates");
    assertThat(ModelVersions.heldIn(ModelVersions.notHeld("a", "it's").message())).isEqualTo("it's");
    assertThat(ModelVersions.heldIn("FAILED_PRECONDITION: something else")).isNull();
    assertThat(ModelVersions.heldIn(null)).isNull();
  }

  @Test
  void versionsArePrintableAsciiOfBoundedLength() {
    ModelVersions.check("", "model_version");
    ModelVersions.check("demo/checkpoint-000001600", "model_version");
    ModelVersions.check("v".repeat(ModelVersions.MAX_CHARS), "model_version");
    assertThatThrownBy(() -> ModelVersions.check("v".repeat(ModelVersions.MAX_CHARS + 1), "model_version"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("model_version must be at most 256");
    assertThatThrownBy(() -> ModelVersions.check("tab\there", "version")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ModelVersions.check("é", "version")).isInstanceOf(IllegalArgumentException.class);
  }
}
