package dev.secformer.core;

import java.time.Duration;

class InMemoryChannelTest extends ChannelContractTest {
    @Override
    protected Channel[] pair(Duration timeout) {
        return InMemoryChannel.pair(timeout);
    }
}
