package main

import "sync"

type PeerUpdate struct {
	NodeID string
	Status string
}

// PeerUpdates is a subscription to peer status changes. Done is closed once its consumer stops.
type PeerUpdates struct {
	updatesCh chan PeerUpdate
	doneCh    chan struct{}
	closeOnce sync.Once
}

func NewPeerUpdates() *PeerUpdates {
	return &PeerUpdates{updatesCh: make(chan PeerUpdate), doneCh: make(chan struct{})}
}

// Updates returns the channel the router publishes peer updates on.
func (pu *PeerUpdates) Updates() <-chan PeerUpdate {
	return pu.updatesCh
}

// Done returns a channel closed when the subscription has been closed by its consumer.
func (pu *PeerUpdates) Done() <-chan struct{} {
	return pu.doneCh
}

// Close marks the subscription done; only the consumer calls it.
func (pu *PeerUpdates) Close() {
	pu.closeOnce.Do(func() { close(pu.doneCh) })
}
