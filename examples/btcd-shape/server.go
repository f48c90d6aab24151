package main

// The server half of the btcd #2258 shape: one event loop (peerHandler) owns the peer set and is
// fed through channel fields; peers and the sync manager call in through small methods that send.

type serverPeer struct {
	id     int
	server *server
}

type relayMsg struct {
	hash string
}

type server struct {
	newPeers    chan *serverPeer
	donePeers   chan *serverPeer
	relayInv    chan relayMsg
	quit        chan struct{}
	syncManager *syncManager
	peers       map[int]*serverPeer
}

func newServer() *server {
	return &server{
		newPeers:  make(chan *serverPeer),
		donePeers: make(chan *serverPeer),
		relayInv:  make(chan relayMsg),
		quit:      make(chan struct{}),
		peers:     make(map[int]*serverPeer),
	}
}

// peerHandler is the server's event loop. While it handles one event it cannot receive the others.
func (s *server) peerHandler() {
	for {
		select {
		case sp := <-s.newPeers:
			s.handleAddPeerMsg(sp)
		case sp := <-s.donePeers:
			delete(s.peers, sp.id)
		case msg := <-s.relayInv:
			s.handleRelayInvMsg(msg)
		case <-s.quit:
			return
		}
	}
}

func (s *server) handleAddPeerMsg(sp *serverPeer) {
	s.peers[sp.id] = sp
	// Tell the sync manager about the peer: this waits for blockHandler to take the message.
	s.syncManager.NewPeer(sp)
}

func (s *server) handleRelayInvMsg(msg relayMsg) {
	for range s.peers {
		_ = msg.hash
	}
}

// AddPeer is called from a peer's own goroutine once its handshake is done.
func (s *server) AddPeer(sp *serverPeer) {
	s.newPeers <- sp // want: chan-send main.server.newPeers
}

// peerDoneHandler runs once per disconnected peer and reports it to peerHandler.
func (s *server) peerDoneHandler(sp *serverPeer) {
	s.donePeers <- sp // want: chan-send main.server.donePeers
}

// RelayInventory is called by the sync manager (through the chain's notification callback).
func (s *server) RelayInventory(hash string) {
	s.relayInv <- relayMsg{hash: hash} // want: chan-send main.server.relayInv
}

func (s *server) relayTransactions(hashes []string) {
	for _, h := range hashes {
		s.RelayInventory(h)
	}
}

// AnnounceNewTransactions is what the sync manager calls when a block made transactions known.
func (s *server) AnnounceNewTransactions(hashes []string) {
	s.relayTransactions(hashes)
}

// OnVerAck is the peer callback that runs when the version handshake completes.
func (sp *serverPeer) OnVerAck() {
	sp.server.AddPeer(sp)
}

// start runs the peer's inbound negotiation on its own goroutine, as btcd's peer.start does.
func (sp *serverPeer) start() {
	go func() {
		sp.negotiateInboundProtocol()
	}()
}

func (sp *serverPeer) negotiateInboundProtocol() {
	sp.OnVerAck()
}
