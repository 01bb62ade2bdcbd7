// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace chattermesh::server {

struct ServerConfig;
class Store;
class ConnectionRegistry;
class LiveDelivery;
class ConversationMembers;
class PresenceTracker;
class PushFanout;
class AssetService;
class ServerMetrics;

// What the frame handlers share, passed in rather than reached through singletons. Server owns all
// of it and outlives the handlers.
struct ServerContext {
    const ServerConfig &config;
    Store &store;
    ConnectionRegistry &registry;
    LiveDelivery &delivery;
    ConversationMembers &members; // who is in each conversation, cached for the live paths
    PresenceTracker &presence;
    PushFanout &fanout; // typing and presence pushes to many, in slices
    AssetService &assets; // the HTTP media service on its own thread (docs/media.md)
    const bool &draining; // true once shutdown has begun: no new work is started
    ServerMetrics &metrics; // counters and histograms behind /metrics (docs/operations.md)
};

} // namespace chattermesh::server
