import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyWaitState } from './waitstate.js';
import { parseFunctionName } from './funcname.js';
import { blockingFrameIndex, isRuntimeFrame } from './stack.js';
import { readDumpText } from './reader.js';

test('classifyWaitState: every reason the runtime prints, Go 1.13 to 1.26', () => {
  const table: Array<[string, string]> = [
    ['chan send', 'chan-send'], ['chan receive', 'chan-receive'],
    ['chan send (nil chan)', 'chan-send-nil'], ['chan receive (nil chan)', 'chan-receive-nil'],
    ['chan receive (durable)', 'chan-receive'], ['select', 'select'], ['select (no cases)', 'select-no-cases'],
    ['sync.Mutex.Lock', 'mutex'], ['sync.RWMutex.RLock', 'rwmutex-read'], ['sync.RWMutex.Lock', 'rwmutex-write'],
    ['sync.WaitGroup.Wait', 'waitgroup'], ['sync.WaitGroup.Wait (durable)', 'waitgroup'], ['sync.Cond.Wait', 'cond'],
    ['semacquire', 'sync'], ['sleep', 'sleep'], ['IO wait', 'io'], ['syscall', 'syscall'],
    ['GC assist wait', 'gc'], ['force gc (idle)', 'gc'], ['finalizer wait', 'gc'], ['GC worker (idle)', 'gc'],
    ['running', 'running'], ['runnable', 'runnable'], ['preempted', 'runnable'],
    ['idle', 'other'], ['timer goroutine (idle)', 'other'], ['trace reader (blocked)', 'other'], ['coroutine', 'other'],
    ['chan receive (scan)', 'chan-receive'], ['select (leaked)', 'select'], ['', 'unknown'],
  ];
  for (const [state, expected] of table) assert.equal(classifyWaitState(state), expected, state);
});

test('parseFunctionName splits packages, receivers, closures and generics', () => {
  const table: Array<[string, ReturnType<typeof parseFunctionName>]> = [
    ['main.main', { pkg: 'main', receiver: null, pointerReceiver: false, name: 'main', closure: null, generic: false }],
    ['main.main.func1.2', { pkg: 'main', receiver: null, pointerReceiver: false, name: 'main', closure: 'func1.2', generic: false }],
    ['main.(*server).peerDoneHandler', { pkg: 'main', receiver: 'server', pointerReceiver: true, name: 'peerDoneHandler', closure: null, generic: false }],
    ['github.com/btcsuite/btcd/peer.(*Peer).start.func1', { pkg: 'github.com/btcsuite/btcd/peer', receiver: 'Peer', pointerReceiver: true, name: 'start', closure: 'func1', generic: false }],
    ['main.worker.explode', { pkg: 'main', receiver: 'worker', pointerReceiver: false, name: 'explode', closure: null, generic: false }],
    ['main.apply[...]', { pkg: 'main', receiver: null, pointerReceiver: false, name: 'apply', closure: null, generic: true }],
    ['example.com/x.(*Set[...]).Add', { pkg: 'example.com/x', receiver: 'Set', pointerReceiver: true, name: 'Add', closure: null, generic: true }],
    ['main.middle.gowrap1', { pkg: 'main', receiver: null, pointerReceiver: false, name: 'middle', closure: 'gowrap1', generic: false }],
    ['main.run.deferwrap1', { pkg: 'main', receiver: null, pointerReceiver: false, name: 'run', closure: 'deferwrap1', generic: false }],
    ['gopkg.in/yaml%2ev2.Unmarshal', { pkg: 'gopkg.in/yaml.v2', receiver: null, pointerReceiver: false, name: 'Unmarshal', closure: null, generic: false }],
    ['main.init.0', { pkg: 'main', receiver: null, pointerReceiver: false, name: 'init.0', closure: null, generic: false }],
    // tendermint #7029 as a web page mangled it: the receiver's `)` is lost.
    ['github.com/tendermint/tendermint/internal/statesync.(*Reactor.OnStart', { pkg: 'github.com/tendermint/tendermint/internal/statesync', receiver: 'Reactor', pointerReceiver: true, name: 'OnStart', closure: null, generic: false }],
  ];
  for (const [printed, expected] of table) assert.deepEqual(parseFunctionName(printed), expected, printed);
});

test('blockingFrameIndex skips runtime, internal and sync frames but not time.Sleep', () => {
  const dump = [
    'goroutine 7 [sync.Mutex.Lock]:',
    'internal/sync.runtime_SemacquireMutex(0x0?, 0x0?, 0x1?)',
    '\t/usr/local/go/src/runtime/sema.go:95 +0x25',
    'internal/sync.(*Mutex).lockSlow(0xc000010000)',
    '\t/usr/local/go/src/internal/sync/mutex.go:149 +0x15d',
    'sync.(*Mutex).Lock(...)',
    '\t/usr/local/go/src/sync/mutex.go:46',
    'main.(*store).get(0xc000010000)',
    '\t/src/app/store.go:18 +0x53',
    '',
    'goroutine 8 [sleep]:',
    'time.Sleep(0x3b9aca00)',
    '\t/usr/local/go/src/runtime/time.go:363 +0x165',
    'main.poll()',
    '\t/src/app/poll.go:9 +0x1b',
  ].join('\n');
  const [lock, sleep] = readDumpText(dump).snapshots[0].goroutines;
  assert.equal(blockingFrameIndex(lock), 3);
  assert.equal(lock.frames[3].function, 'main.(*store).get');
  assert.equal(blockingFrameIndex(sleep), 0);
  assert.equal(isRuntimeFrame(lock.frames[2]), true);
  assert.equal(blockingFrameIndex({ frames: lock.frames.slice(0, 3) }), -1);
});
