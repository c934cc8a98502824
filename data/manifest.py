"""The one table of every file the project downloads, with its pinned hashes.

MNIST is pinned by the SHA-256 of the *decompressed* IDX bytes: any honest
mirror may re-compress the archive (the shared offline mirror does), and what
the book's code reads is the IDX content, not the gzip framing. The upstream
archive hash is kept for messages (it tells a user which file to fetch).
The book's pickles are pinned by the SHA-256 of the file itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Union

from .errors import DataError

__all__ = [
    "MnistFile",
    "BookFile",
    "Entry",
    "MNIST_FILES",
    "BOOK_FILES",
    "ALL_FILES",
    "TRAIN_IMAGES",
    "TRAIN_LABELS",
    "TEST_IMAGES",
    "TEST_LABELS",
    "IMAGE_MAGIC",
    "LABEL_MAGIC",
    "book_file",
]

IMAGE_MAGIC = 2051  # 0x00000803: unsigned bytes, 3 dimensions
LABEL_MAGIC = 2049  # 0x00000801: unsigned bytes, 1 dimension


@dataclass(frozen=True)
class MnistFile:
    """One MNIST archive; the cache keeps its decompressed IDX bytes."""

    archive: str
    archive_sha256: str
    archive_size: int
    idx_sha256: str
    idx_size: int
    magic: int
    dims: tuple[int, ...]

    kind: ClassVar[str] = "mnist"

    @property
    def key(self) -> str:
        """Path inside a mirror (``<base>/mnist/<archive>``); also the name used in messages."""
        return f"mnist/{self.archive}"

    @property
    def remote_name(self) -> str:
        return self.archive

    @property
    def cache_relpath(self) -> str:
        return f"mnist/{self.archive.removesuffix('.gz')}"

    @property
    def sha256(self) -> str:
        """SHA-256 of what the cache stores (the IDX bytes)."""
        return self.idx_sha256

    @property
    def size(self) -> int:
        return self.idx_size

    @property
    def header_size(self) -> int:
        return 4 + 4 * len(self.dims)

    @property
    def download_cap(self) -> int:
        # Any gzip of idx_size bytes, even with stored (uncompressed) deflate
        # blocks, fits in idx_size plus 5 bytes per 64 KiB block plus headers;
        # so an honest re-compression is never refused, and a hostile server
        # can never make us hold more than about one IDX file in memory.
        return self.idx_size + 5 * (self.idx_size // 65535 + 1) + 4096

    @property
    def download_hint(self) -> int:
        return self.archive_size


@dataclass(frozen=True)
class BookFile:
    """A pickle published with the book's official code."""

    relpath: str
    sha256: str
    size: int
    description: str

    kind: ClassVar[str] = "book"

    @property
    def key(self) -> str:
        return f"book/{self.relpath}"

    @property
    def remote_name(self) -> str:
        return self.relpath

    @property
    def cache_relpath(self) -> str:
        return f"book/{self.relpath}"

    @property
    def download_cap(self) -> int:
        # The exact size plus room for gzip framing, should a server compress
        # the pickle in transit (see integrity.decode_download).
        return self.size + 5 * (self.size // 65535 + 1) + 4096

    @property
    def download_hint(self) -> int:
        return self.size


Entry = Union[MnistFile, BookFile]

TRAIN_IMAGES = MnistFile(
    archive="train-images-idx3-ubyte.gz",
    archive_sha256="440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    archive_size=9_912_422,
    idx_sha256="ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    idx_size=47_040_016,
    magic=IMAGE_MAGIC,
    dims=(60000, 28, 28),
)
TRAIN_LABELS = MnistFile(
    archive="train-labels-idx1-ubyte.gz",
    archive_sha256="3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    archive_size=28_881,
    idx_sha256="65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    idx_size=60_008,
    magic=LABEL_MAGIC,
    dims=(60000,),
)
TEST_IMAGES = MnistFile(
    archive="t10k-images-idx3-ubyte.gz",
    archive_sha256="8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    archive_size=1_648_877,
    idx_sha256="0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    idx_size=7_840_016,
    magic=IMAGE_MAGIC,
    dims=(10000, 28, 28),
)
TEST_LABELS = MnistFile(
    archive="t10k-labels-idx1-ubyte.gz",
    archive_sha256="f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    archive_size=4_542,
    idx_sha256="ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    idx_size=10_008,
    magic=LABEL_MAGIC,
    dims=(10000,),
)

MNIST_FILES: tuple[MnistFile, ...] = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)

BOOK_FILES: dict[str, BookFile] = {
    f.relpath: f
    for f in (
        BookFile(
            "ch03/sample_weight.pkl",
            "b7f55a27988ba34c3777b0f1bbd464817c8a4db855723e6ff26f703501917a13",
            181_853,
            "3-layer net 784-50-100-10 (float32 W1..W3, b1..b3)",
        ),
        BookFile(
            "ch07/params.pkl",
            "a5da99cffddafcfe5e686e79dc0ec3a7cc993b58e64f483b50960511e5e85344",
            3_471_484,
            "SimpleConvNet parameters (float64 W1..W3, b1..b3)",
        ),
        BookFile(
            "ch08/deep_convnet_params.pkl",
            "4b7a27baee2037605afa94d3f514ca9fa9cc96623739328609765073cfd5f802",
            989_219,
            "DeepConvNet parameters (float64 W1..W8, b1..b8)",
        ),
    )
}

ALL_FILES: tuple[Entry, ...] = MNIST_FILES + tuple(BOOK_FILES.values())


def book_file(relpath: str) -> BookFile:
    """The pinned entry for a book path such as ``"ch07/params.pkl"``."""
    # Accept Windows-style separators: users copy paths from their explorer.
    key = relpath.replace("\\", "/").lstrip("/")
    try:
        return BOOK_FILES[key]
    except KeyError:
        known = ", ".join(sorted(BOOK_FILES))
        raise DataError(f"unknown book file {relpath!r}: the pinned ones are {known}") from None
