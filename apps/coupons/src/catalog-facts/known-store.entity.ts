import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A store's city, copied from the catalog's store events. */
@Entity({ name: 'known_stores' })
export class KnownStoreEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  city!: string;

  /** When the catalog emitted the fact; an older event never overwrites a newer one. */
  @Column({ name: 'as_of', type: 'timestamptz' })
  asOf!: Date;
}
