#!/usr/bin/env python3
"""Several `gosline serve` nodes behind Kamailio (R4 availability, R11 reserve routes).

The test builds its own network: a namespace holding a bridge, and one
namespace each for Kamailio (10.77.0.2), three nodes (10.77.0.11-13) and the
callers (10.77.0.50), joined to the bridge by veth pairs made inside those
namespaces (the host's interfaces are not touched). Kamailio runs
deploy/kamailio/kamailio.cfg; each node has its own configuration, SQLite
registry and work directory, and tells the test it is ready or draining over
its own NOTIFY_SOCKET (systemd's protocol). Callers are sipp; the audio
would flow directly between caller and node (the SDP is not rewritten).

  1. spread:   calls through Kamailio reach every node (call records on each);
  2. kill -9:  one node dies under load: calls on the other nodes go on, the
               front marks the node down and new calls succeed again within
               5 s (R4: a functional bound);
  3. back:     the node restarted is probed up and takes calls again;
  4. drain:    SIGTERM to a node under load: no call in progress is cut, new
               calls go to the other nodes, the node exits by itself;
  5. flood:    an untrusted address that floods the front is banned (pike),
               while the trusted callers' calls go on.

Every wait is bounded; namespaces and processes are removed at the end,
also after a failure, and stale ones of a killed earlier run at the start.
Needs root (ip netns); without it the test fails and says why.
"""
import argparse
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NET = '10.77.0.'
KAMAILIO_IP = NET + '2'
CALLER_IP = NET + '50'
# A second address of the callers' namespace, not trusted by the front: the flood.
FLOODER_IP = NET + '51'
NODES = (('node-a', NET + '11'), ('node-b', NET + '12'), ('node-c', NET + '13'))
PREFIX = 'gslc'
DRAIN_SECONDS = 30
failures = []


def check(cond, what):
    print(('ok    ' if cond else 'FAIL  ') + what, flush=True)
    if not cond:
        failures.append(what)
    return cond


def run(*cmd, timeout=20, check_rc=True):
    r = subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout)
    if check_rc and r.returncode != 0:
        raise RuntimeError('%s: rc %d: %s' % (' '.join(cmd), r.returncode, r.stderr.strip()))
    return r


def wait_for(pred, timeout, step=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(step)
    return pred()


# ---------------------------------------------------------------- network

def namespaces():
    r = run('ip', 'netns', 'list', check_rc=False)
    return [line.split()[0] for line in r.stdout.splitlines() if line.strip()]


def remove_namespace(name):
    """Ends what still runs in one of this test's namespaces, then removes it."""
    pids = run('ip', 'netns', 'pids', name, check_rc=False).stdout.split()
    for pid in pids:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass
    run('ip', 'netns', 'del', name, check_rc=False)


def remove_stale_namespaces():
    """Namespaces of an earlier run of this test that was killed before it cleaned up."""
    for name in namespaces():
        m = re.match(r'^%s(\d+)-' % PREFIX, name)
        if m and not os.path.exists('/proc/%s' % m.group(1)):
            print('removing the stale namespace %s' % name)
            remove_namespace(name)


class Network:
    """A bridge in a namespace of its own, and a namespace per member on it."""

    def __init__(self):
        self.tag = '%s%d' % (PREFIX, os.getpid())
        self.switch = self.tag + '-sw'
        self.made = []

    def ns(self, member):
        return '%s-%s' % (self.tag, member)

    def build(self, members):
        run('ip', 'netns', 'add', self.switch)
        self.made.append(self.switch)
        run('ip', '-n', self.switch, 'link', 'add', 'br0', 'type', 'bridge')
        run('ip', '-n', self.switch, 'link', 'set', 'br0', 'up')
        for i, (member, address) in enumerate(members):
            ns = self.ns(member)
            run('ip', 'netns', 'add', ns)
            self.made.append(ns)
            port = 'p%d' % i
            # Made inside the switch namespace, the peer moved straight into
            # the member's: neither end ever exists in the host's namespace.
            run('ip', '-n', self.switch, 'link', 'add', port, 'type', 'veth',
                'peer', 'name', 'eth0', 'netns', ns)
            run('ip', '-n', self.switch, 'link', 'set', port, 'master', 'br0', 'up')
            run('ip', '-n', ns, 'link', 'set', 'lo', 'up')
            run('ip', '-n', ns, 'addr', 'add', address + '/24', 'dev', 'eth0')
            run('ip', '-n', ns, 'link', 'set', 'eth0', 'up')

    def destroy(self):
        for name in reversed(self.made):
            remove_namespace(name)
        self.made = []


# ---------------------------------------------------------------- processes

class Node:
    """One `gosline serve` in its namespace, with its own config, registry and notify socket."""

    def __init__(self, args, net, name, ip):
        self.args, self.name, self.ip = args, name, ip
        self.ns = net.ns(name)
        self.dir = os.path.join(args.workdir, name)
        os.makedirs(os.path.join(self.dir, 'var'), exist_ok=True)
        os.makedirs(args.prompt_cache, exist_ok=True)
        for link, target in (('data', os.path.join(REPO, 'data')),
                             (os.path.join('var', 'prompts'), os.path.abspath(args.prompt_cache))):
            path = os.path.join(self.dir, link)
            if os.path.islink(path) or os.path.exists(path):
                os.remove(path)
            os.symlink(target, path)
        self.db = os.path.join(self.dir, 'gosline.db')
        for suffix in ('', '-wal', '-shm', '.audit', '.audit-wal', '.audit-shm'):
            if os.path.exists(self.db + suffix):
                os.remove(self.db + suffix)
        self.config = os.path.join(self.dir, 'gosline.yaml')
        with open(self.config, 'w', encoding='utf-8') as f:
            f.write(node_config(ip, name))
        self.notify_path = os.path.join(self.dir, 'notify.sock')
        if os.path.exists(self.notify_path):
            os.remove(self.notify_path)
        self.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.notify.bind(self.notify_path)
        self.notify.settimeout(0.2)
        self.notes = []
        self.proc = None
        self.log_path = os.path.join(self.dir, 'server.log')

    def start(self):
        self.notes = []
        # systemd's watchdog of 2 s: WATCHDOG=1 every second while the loops turn.
        env = dict(os.environ, NOTIFY_SOCKET=self.notify_path, WATCHDOG_USEC='2000000')
        env.pop('WATCHDOG_PID', None)
        log = open(self.log_path, 'a')
        self.proc = subprocess.Popen(
            ['ip', 'netns', 'exec', self.ns, os.path.abspath(self.args.gosline), 'serve',
             '--config', self.config, '--listen', self.ip, '--port', '8080', '--db', self.db],
            cwd=self.dir, stdout=log, stderr=subprocess.STDOUT, env=env)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def poll_notes(self):
        for _ in range(100):
            try:
                self.notes.append(self.notify.recv(4096).decode())
            except socket.timeout:
                break
        return self.notes

    def wait_note(self, word, timeout):
        return wait_for(lambda: any(word in n for n in self.poll_notes()) or not self.alive(),
                        timeout) and any(word in n for n in self.notes)

    def records(self):
        if not os.path.exists(self.db):
            return []
        conn = sqlite3.connect('file:%s?mode=ro' % self.db, uri=True, timeout=5)
        try:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute('SELECT * FROM call_records ORDER BY id')]
        except sqlite3.OperationalError:
            return []
        finally:
            conn.close()

    def log(self):
        with open(self.log_path, encoding='utf-8', errors='replace') as f:
            return f.read()

    def interrupt(self):
        if self.alive():
            self.proc.send_signal(signal.SIGINT)  # stop at once, no drain

    def reap(self, deadline):
        if self.proc is not None:
            try:
                self.proc.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.notify.close()


def node_config(ip, name):
    """The demo configuration on the node's own address, with a cluster section."""
    demo = open(os.path.join(REPO, 'config', 'gosline.yaml'), encoding='utf-8').read()
    text, n = re.subn(r'(\n  sip:\n    listen: )127\.0\.0\.1\n', r'\g<1>%s\n' % ip, demo)
    assert n == 1, 'the demo configuration changed (telephony.sip.listen): update this test'
    text, n = re.subn(r'(\n  rtp:\n    listen: )127\.0\.0\.1', r'\g<1>%s' % ip, text)
    assert n == 1, 'the demo configuration changed (telephony.rtp.listen): update this test'
    assert '\ncluster:' not in text, 'the demo configuration has a cluster section: update this test'
    return text + '\ncluster:\n  node_name: %s\n  drain_seconds: %d\n' % (name, DRAIN_SECONDS)


class Kamailio:
    def __init__(self, args, net):
        self.args = args
        self.ns = net.ns('kamailio')
        self.dir = os.path.join(args.workdir, 'kamailio')
        os.makedirs(self.dir, exist_ok=True)
        self.nodes_list = os.path.join(self.dir, 'nodes.list')
        with open(self.nodes_list, 'w') as f:
            for name, ip in NODES:
                f.write('1 sip:%s:5060 0 0 duid=%s\n' % (ip, name))
        # The callers' address carries many calls, like a carrier's trunk:
        # trusted, so pike does not ban it.
        self.trusted = os.path.join(self.dir, 'trusted.list')
        with open(self.trusted, 'w') as f:
            f.write('1 %s 32 0 test-callers\n' % CALLER_IP)
        self.ctl = os.path.join(self.dir, 'ctl.sock')
        self.log_path = os.path.join(self.dir, 'kamailio.log')
        self.proc = None

    def start(self):
        cfg = os.path.join(REPO, 'deploy', 'kamailio', 'kamailio.cfg')
        defines = ['LISTEN_ADDR=%s' % KAMAILIO_IP, 'DISPATCHER_LIST="%s"' % self.nodes_list,
                   'TRUSTED_LIST="%s"' % self.trusted, 'CTL_SOCKET="unix:%s"' % self.ctl,
                   # Every test call comes from the same caller number.
                   'CALLS_PER_NUMBER_PER_MINUTE=100000']
        cmd = ['ip', 'netns', 'exec', self.ns, self.args.kamailio, '-DD', '-E', '-f', cfg,
               '-m', '64', '-M', '8', '-Y', self.dir, '-P', os.path.join(self.dir, 'kamailio.pid')]
        for d in defines:
            cmd += ['-A', d]
        self.proc = subprocess.Popen(cmd, stdout=open(self.log_path, 'w'), stderr=subprocess.STDOUT)
        return wait_for(lambda: self.states() or self.proc.poll() is not None, 20) and self.states()

    def states(self):
        """duid -> dispatcher flags ('AP' up, 'IP'/'IX' down) as kamcmd tells them."""
        if self.proc is None or self.proc.poll() is not None:
            return {}
        try:
            r = run(self.args.kamcmd, '-s', 'unix:' + self.ctl, 'dispatcher.list', check_rc=False,
                    timeout=5)
        except subprocess.TimeoutExpired:
            return {}
        states = {}
        for m in re.finditer(r'URI: sip:([0-9.]+):5060\s+FLAGS: (\w+)', r.stdout):
            name = next((n for n, ip in NODES if ip == m.group(1)), m.group(1))
            states[name] = m.group(2)
        return states

    def up(self, name):
        return self.states().get(name, '').startswith('A')

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Callers:
    """sipp runs from the callers' namespace, each with its own port and message trace."""

    def __init__(self, args, net):
        self.args, self.ns = args, net.ns('caller')
        self.next_port = 5070
        self.runs = 0

    def start(self, name, scenario, calls, rate, hold_ms, source=CALLER_IP, timeout='120s'):
        self.runs += 1
        port, media = self.next_port, 7000 + 100 * self.runs
        self.next_port += 1
        trace = os.path.join(self.args.workdir, name + '.messages.log')
        if os.path.exists(trace):
            os.remove(trace)
        cmd = ['ip', 'netns', 'exec', self.ns, self.args.sipp,
               '-sf', os.path.join(self.args.scenarios, scenario), '-s', '115',
               '%s:5060' % KAMAILIO_IP, '-i', source, '-p', str(port), '-mp', str(media),
               '-t', 'u1', '-m', str(calls), '-r', str(rate), '-d', str(hold_ms),
               '-recv_timeout', '20000', '-timeout', timeout, '-nostdin',
               # The front's worker processes may pass a node's 180 after its
               # 200 (legal reordering that phones ignore): not a failed call.
               '-default_behaviors', 'all,-abortunexp',
               '-trace_msg', '-message_file', trace,
               '-trace_err', '-error_file', os.path.join(self.args.workdir, name + '.errors.log')]
        proc = subprocess.Popen(cmd, cwd=self.args.workdir, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        return SippRun(proc, trace)


class SippRun:
    def __init__(self, proc, trace):
        self.proc, self.trace = proc, trace

    def wait(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None

    def calls(self):
        """call id -> {'node': address of the node that answered, 'media': the address its
        SDP answer gives for the audio, 'ended': BYE got 200}."""
        calls = {}
        if not os.path.exists(self.trace):
            return calls
        with open(self.trace, encoding='utf-8', errors='replace') as f:
            blocks = re.split(r'\n-{20,}[^\n]*\n', f.read())
        for block in blocks:
            first = re.search(r'^(SIP/2\.0 \d+|[A-Z]+ sip:)', block, re.M)
            call_id = re.search(r'^Call-ID:\s*(\S+)', block, re.M | re.I)
            cseq = re.search(r'^CSeq:\s*(\d+ [A-Z]+)', block, re.M | re.I)
            if not (first and call_id and cseq):
                continue
            call = calls.setdefault(call_id.group(1), {'node': None, 'media': None, 'ended': False})
            if 'received' not in block.split('\n', 2)[0] + block[:200]:
                continue
            if first.group(1) == 'SIP/2.0 200' and cseq.group(1) == '1 INVITE':
                contact = re.search(r'^(?:Contact|m):[^\n]*sip:(?:[^@>;\s]*@)?([0-9.]+)', block,
                                    re.M | re.I)
                if contact:
                    call['node'] = contact.group(1)
                media = re.search(r'^c=IN IP4 ([0-9.]+)', block, re.M)
                if media:
                    call['media'] = media.group(1)
            if first.group(1) == 'SIP/2.0 200' and cseq.group(1).endswith(' BYE'):
                call['ended'] = True
        return calls


def node_of(address):
    return next((n for n, ip in NODES if ip == address), address)


# ---------------------------------------------------------------- the test

def test_spread(callers, nodes):
    before = {n.name: len(n.records()) for n in nodes}
    batch = callers.start('spread', 'uac_hold.xml', calls=9, rate=3, hold_ms=500)
    check(batch.wait(60) == 0, 'spread: 9 calls through Kamailio, every one answered and ended')
    answered_by = {node_of(c['node']) for c in batch.calls().values() if c['node']}
    check(answered_by == {n.name for n in nodes}, 'spread: calls answered by every node: %s'
          % sorted(answered_by))
    check(all(c['media'] == c['node'] for c in batch.calls().values()),
          'spread: the audio goes straight to the node that answered, not through Kamailio')
    for n in nodes:
        check(wait_for(lambda n=n: len(n.records()) > before[n.name], 10),
              'spread: %s has call records of its own' % n.name)


def test_kill(callers, kamailio, nodes):
    victim = nodes[1]
    load = callers.start('kill_load', 'uac_hold.xml', calls=30, rate=3, hold_ms=4000)
    time.sleep(3)  # calls are up on every node
    victim.proc.kill()
    victim.proc.wait()
    killed_at = time.time()
    print('killed %s (kill -9)' % victim.name, flush=True)
    check(wait_for(lambda: not kamailio.up(victim.name), 5, step=0.2),
          'kill -9: the front marked %s down within 5 s (%s)' % (victim.name, kamailio.states()))
    time.sleep(max(0.0, killed_at + 5 - time.time()))
    after = callers.start('after_kill', 'uac_hold.xml', calls=6, rate=3, hold_ms=500)
    check(after.wait(60) == 0, 'kill -9: new calls 5 s after the kill all succeed')
    load.wait(120)
    calls = load.calls()
    failed = {cid: c for cid, c in calls.items() if not c['ended']}
    on_victim = [c for c in calls.values() if c['node'] == victim.ip]
    others = [c for c in calls.values() if c['node'] not in (None, victim.ip)]
    check(len(calls) == 30, 'kill -9: the load made its 30 calls (%d)' % len(calls))
    check(on_victim, 'kill -9: %s carried calls of the load when it died' % victim.name)
    check(others and all(c['ended'] for c in others),
          'kill -9: every call on the other nodes went on and ended normally (%d calls)'
          % len(others))
    check(all(c['node'] in (None, victim.ip) for c in failed.values()),
          'kill -9: the only calls lost were on the killed node (%d lost)' % len(failed))
    return victim


def test_back(callers, kamailio, victim):
    victim.start()
    check(victim.wait_note('READY=1', 120), 'back: %s restarted and ready' % victim.name)
    check(wait_for(lambda: kamailio.up(victim.name), 15, step=0.2),
          'back: the front probed %s up again' % victim.name)
    batch = callers.start('back', 'uac_hold.xml', calls=6, rate=3, hold_ms=500)
    check(batch.wait(60) == 0, 'back: 6 calls, every one answered and ended')
    check(any(c['node'] == victim.ip for c in batch.calls().values()),
          'back: %s takes calls again' % victim.name)


def test_drain(callers, kamailio, nodes):
    drained = nodes[0]
    load = callers.start('drain_load', 'uac_hold.xml', calls=15, rate=3, hold_ms=6000)
    time.sleep(3)  # calls are up on the node
    drained.proc.send_signal(signal.SIGTERM)
    check(drained.wait_note('STOPPING=1', 10), 'drain: %s tells systemd STOPPING=1' % drained.name)
    check(wait_for(lambda: not kamailio.up(drained.name), 10, step=0.2),
          'drain: the front took %s out (its OPTIONS answer 503)' % drained.name)
    check(load.wait(120) == 0, 'drain: every call of the load answered and ended normally')
    calls = load.calls()
    on_drained = [c for c in calls.values() if c['node'] == drained.ip]
    check(on_drained and all(c['ended'] for c in on_drained),
          'drain: the %d calls %s carried went on to their end' % (len(on_drained), drained.name))
    try:
        rc = drained.proc.wait(timeout=DRAIN_SECONDS + 30)
    except subprocess.TimeoutExpired:
        rc = None
    check(rc == 0, 'drain: %s exited by itself once its calls ended (rc %s)' % (drained.name, rc))
    reasons = {r['end_reason'] for r in drained.records()}
    check('shutdown' not in reasons, 'drain: no call of %s was ended by the stop (%s)'
          % (drained.name, sorted(reasons)))
    later = callers.start('after_drain', 'uac_hold.xml', calls=4, rate=4, hold_ms=300)
    check(later.wait(60) == 0 and all(c['node'] != drained.ip for c in later.calls().values()),
          'drain: new calls go to the other nodes')


def test_flood(callers, kamailio):
    # 150 OPTIONS in about 1.5 s: over pike's 60 requests in 2 s.
    flood = callers.start('flood', 'options.xml', calls=150, rate=100, hold_ms=0,
                          source=FLOODER_IP, timeout='10s')
    flood.wait(60)
    log = open(kamailio.log_path, encoding='utf-8', errors='replace').read()
    check('pike: banning %s' % FLOODER_IP in log, 'flood: pike banned the flooding address')
    probe = callers.start('after_flood', 'options.xml', calls=1, rate=1, hold_ms=0,
                          source=FLOODER_IP, timeout='4s')
    check(probe.wait(30) != 0, 'flood: the banned address gets no answer')
    calls = callers.start('flood_trusted', 'uac_hold.xml', calls=3, rate=3, hold_ms=300)
    check(calls.wait(60) == 0, 'flood: the trusted callers still get through')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gosline', required=True)
    ap.add_argument('--sipp', required=True)
    ap.add_argument('--kamailio', required=True)
    ap.add_argument('--kamcmd', required=True)
    ap.add_argument('--scenarios', required=True)
    ap.add_argument('--prompt-cache', required=True)
    ap.add_argument('--workdir', required=True)
    args = ap.parse_args()
    args.workdir = os.path.abspath(args.workdir)
    args.scenarios = os.path.abspath(args.scenarios)
    args.prompt_cache = os.path.abspath(args.prompt_cache)
    os.makedirs(args.workdir, exist_ok=True)

    for tool in (args.gosline, args.sipp, args.kamailio, args.kamcmd):
        if not os.access(tool, os.X_OK):
            print('FAIL  %s is not installed (scripts/apt-packages.txt lists it)' % tool)
            return 1
    if os.geteuid() != 0:
        print('FAIL  the cluster test builds network namespaces (ip netns) and needs root')
        return 1
    remove_stale_namespaces()
    net = Network()
    members = [('kamailio', KAMAILIO_IP), ('caller', CALLER_IP)] + list(NODES)
    nodes, kamailio = [], None
    # Whatever happens (a failed check, an exception, SIGTERM from ctest),
    # the processes and namespaces go.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        try:
            net.build(members)
            run('ip', '-n', net.ns('caller'), 'addr', 'add', FLOODER_IP + '/24', 'dev', 'eth0')
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            print('FAIL  cannot build the test network with ip netns: %s' % e)
            return 1
        nodes = [Node(args, net, name, ip) for name, ip in NODES]
        # The first node synthesises the prompts the others find cached.
        nodes[0].start()
        ready = nodes[0].wait_note('READY=1', 300)
        for n in nodes[1:]:
            n.start()
        ready = all([ready] + [n.wait_note('READY=1', 120) for n in nodes[1:]])
        if not check(ready, 'three nodes started and told READY=1 on their NOTIFY_SOCKET'):
            for n in nodes:
                print('--- %s\n%s' % (n.name, n.log()[-3000:]))
            return 1
        check(all(n.wait_note('WATCHDOG=1', 10) for n in nodes),
              'every node sends WATCHDOG=1 while its SIP and media loops turn')
        kamailio = Kamailio(args, net)
        states = kamailio.start()
        if not check(states and wait_for(lambda: all(kamailio.up(n) for n, _ in NODES), 15),
                     'Kamailio started and probes every node up: %s' % kamailio.states()):
            print(open(kamailio.log_path, encoding='utf-8', errors='replace').read()[-4000:])
            return 1
        callers = Callers(args, net)
        test_spread(callers, nodes)
        victim = test_kill(callers, kamailio, nodes)
        test_back(callers, kamailio, victim)
        test_drain(callers, kamailio, nodes)
        test_flood(callers, kamailio)
    finally:
        # The nodes first, all at once and bounded (their BYEs still pass the
        # front), then the front, then the namespaces with whatever is left.
        for n in nodes:
            n.interrupt()
        deadline = time.time() + 20
        for n in nodes:
            n.reap(deadline)
        if kamailio is not None:
            kamailio.stop()
        net.destroy()
    if failures:
        print('%d failure(s): %s' % (len(failures), failures))
        for n in nodes:
            print('--- %s log tail\n%s' % (n.name, n.log()[-2000:]))
        if kamailio is not None:
            print('--- kamailio log tail\n' +
                  open(kamailio.log_path, encoding='utf-8', errors='replace').read()[-3000:])
        return 1
    print('all cluster checks passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
