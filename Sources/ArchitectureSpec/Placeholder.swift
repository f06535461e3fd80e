public enum ArchitectureSpecPlaceholder {}
