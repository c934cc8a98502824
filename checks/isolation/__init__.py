"""How checks reach the implementation under test: in this process or in a child process.

`intake` (whatever IMPL names, resolved once into a frozen `ImplSpec`: checks/isolation/intake/),
`adapters` (transports, `Implementation`, `RemoteRef`, `open_implementation`),
`namespace` (the implementation as a plain in-process namespace, for experiments),
`boundary` (the operating-system boundary around the child: bubblewrap, an
unprivileged user, or none; docs/security.md) and `child/` (what runs beside the
implementation: the dispatcher, the loaders, the guard, the answer channel's codec).
"""
