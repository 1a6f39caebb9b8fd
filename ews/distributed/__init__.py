"""Beyond one machine: RW features and batch scores on a ``dask.distributed`` cluster (``docs/scale.md``).

:mod:`ews.features.partition` cuts a folder into areas with halos (pure
pandas); :mod:`ews.distributed.run` runs them on a cluster and imports dask
lazily. Nothing is imported here, so ``import ews.distributed`` costs nothing.
"""
