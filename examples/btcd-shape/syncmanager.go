package main

// The sync manager half: its own event loop (blockHandler) fed through msgChan. Processing a
// block calls back into the server, which sends to peerHandler: the other half of the cycle.

type newPeerMsg struct {
	peer *serverPeer
}

type blockMsg struct {
	hash string
}

type syncManager struct {
	msgChan chan interface{}
	chain   *blockChain
	server  *server
	peers   map[int]*serverPeer
}

func newSyncManager(s *server) *syncManager {
	sm := &syncManager{
		msgChan: make(chan interface{}),
		server:  s,
		peers:   make(map[int]*serverPeer),
	}
	sm.chain = newBlockChain(sm.handleBlockchainNotification)
	return sm
}

// blockHandler is the sync manager's event loop.
func (sm *syncManager) blockHandler() {
	for msg := range sm.msgChan {
		switch m := msg.(type) {
		case *newPeerMsg:
			sm.peers[m.peer.id] = m.peer
		case *blockMsg:
			sm.handleBlockMsg(m)
		}
	}
}

// NewPeer is called by the server's loop for every accepted peer.
func (sm *syncManager) NewPeer(sp *serverPeer) {
	sm.msgChan <- &newPeerMsg{peer: sp} // want: chan-send main.syncManager.msgChan
}

// QueueBlock hands a block received from the network to blockHandler.
func (sm *syncManager) QueueBlock(hash string) {
	sm.msgChan <- &blockMsg{hash: hash}
}

func (sm *syncManager) handleBlockMsg(m *blockMsg) {
	sm.chain.ProcessBlock(m.hash)
}

// handleBlockchainNotification is the chain's callback: a connected block announces its transactions.
func (sm *syncManager) handleBlockchainNotification(n notification) {
	sm.server.AnnounceNewTransactions(n.txHashes)
}
