package main

import (
	"context"
	"errors"
	"sync"
)

var errNoSnapshots = errors.New("no snapshots available")

// Reactor is the state-sync reactor of tendermint v0.35.0-rc1 reduced to its locking.
type Reactor struct {
	mtx         sync.RWMutex
	peerUpdates *PeerUpdates
	closeCh     chan struct{}
	syncer      *syncer
	peers       map[string]bool
}

type syncer struct {
	snapshots int
}

func NewReactor(pu *PeerUpdates) *Reactor {
	return &Reactor{peerUpdates: pu, closeCh: make(chan struct{}), peers: make(map[string]bool)}
}

// OnStart spawns the goroutine that consumes peer updates.
func (r *Reactor) OnStart() {
	go r.processPeerUpdates()
}

// OnStop signals the goroutines to exit and waits for the peer-update consumer to finish.
func (r *Reactor) OnStop() {
	close(r.closeCh)
	<-r.peerUpdates.Done() // want: chan-receive main.PeerUpdates.doneCh
}

// Sync runs a state sync. Its error path returns with r.mtx still held: the bug fixed by #7029.
func (r *Reactor) Sync(ctx context.Context) error {
	r.mtx.Lock()
	if r.syncer != nil {
		r.mtx.Unlock()
		return errors.New("a state sync is already in progress")
	}
	r.syncer = &syncer{}
	if r.syncer.snapshots == 0 {
		return errNoSnapshots
	}
	r.mtx.Unlock()
	return nil
}

// processPeerUpdate records a peer going up or down; it needs the reactor lock.
func (r *Reactor) processPeerUpdate(update PeerUpdate) {
	r.mtx.Lock() // want: rwmutex-lock main.Reactor.mtx
	defer r.mtx.Unlock()
	r.peers[update.NodeID] = update.Status == "up"
}

// processPeerUpdates consumes peer updates until the reactor stops; closing the subscription on
// exit is what OnStop waits for.
func (r *Reactor) processPeerUpdates() {
	defer r.peerUpdates.Close()
	for {
		select {
		case update := <-r.peerUpdates.Updates():
			r.processPeerUpdate(update)
		case <-r.closeCh:
			return
		}
	}
}
