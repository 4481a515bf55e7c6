"""Controllers: loops that drive the cluster toward what its objects say."""
